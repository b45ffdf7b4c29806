/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a simulation.
 *
 * @param records the metrics of every round (round 0 = pre-alignment)
 * @param finalScores the test scores of the un-tuned model, AdapEmu and AdapFu (empty when stopped early)
 * @param adapterLora the final global adapter LoRA
 * @param emulatorLora the final emulator LoRA
 * @param completed false when the run was stopped before its last round
 */
public record SimulationResult(List<RoundRecord> records, Map<EvaluationTarget, EvalScores> finalScores,
        NamedTensors adapterLora, NamedTensors emulatorLora, boolean completed) {

    /** Copies the collections. */
    public SimulationResult {
        records = List.copyOf(records);
        finalScores = Map.copyOf(finalScores);
    }
}
