/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to continue a simulation after a completed round: the global adapter and emulator LoRA,
 * where every data stream stands (all other random draws derive from the seed and the round), the metrics so
 * far, the configuration that produced it, the run it belongs to and the identity of the files it read. Written by
 * {@link CheckpointStore}.
 *
 * @param round the last completed round (0: after pre-alignment)
 * @param adapterLora the global adapter LoRA
 * @param emulatorLora the emulator LoRA
 * @param publicPosition the public data stream's position
 * @param clientPositions each client's data stream position
 * @param seeds the root seed and the seeds derived from it, by component (for the record)
 * @param records the metrics of rounds 0..round
 * @param config the flattened configuration (dotted key to value) without the round count
 * @param runId the run's id, made once when the run started fresh and kept by every resume
 * @param inputs the model and data files as they were when the run started
 */
public record RoundCheckpoint(int round, NamedTensors adapterLora, NamedTensors emulatorLora, long publicPosition,
        Map<String, Long> clientPositions, Map<String, Long> seeds, List<RoundRecord> records,
        Map<String, String> config, String runId, RunInputs inputs) {

    /** Copies the collections and checks that nothing is missing. */
    public RoundCheckpoint {
        Objects.requireNonNull(adapterLora, "adapterLora");
        Objects.requireNonNull(emulatorLora, "emulatorLora");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(inputs, "inputs");
        clientPositions = Map.copyOf(clientPositions);
        seeds = Map.copyOf(seeds);
        records = List.copyOf(records);
        config = Map.copyOf(config);
    }
}
