/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's per-round work on the adapter LoRA that is not model compute: FedAvg of {@code clients} updates
 * ({@link NamedTensors#weightedSum}) and a safetensors write + read of one update (what a checkpoint or a
 * transport costs). LoRA r 8 on q/v of the last {@code adapterLayers} layers of a SmolLM2-135M-shaped model
 * (d 576, 9 heads / 3 KV heads): 18,432 parameters per layer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AggregationBenchmark {
    /** Number of client updates averaged. */
    @Param({"2", "8", "32", "100"})
    public int clients;

    /** Adapter layers K. */
    @Param({"2", "4"})
    public int adapterLayers;

    private List<NamedTensors> updates;
    private double[] weights;
    private Path file;

    /** Builds seeded updates. @throws IOException if the temp file cannot be made */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ModelSpec spec = ModelSpec.llama(49152, 576, 30, 9, 3, 1536, 2048, true);
        List<Integer> layers = new ArrayList<>();
        for (int i = spec.numLayers() - adapterLayers; i < spec.numLayers(); i++) {
            layers.add(i);
        }
        updates = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            updates.add(LoraInit.create(spec, LoraSpec.DEFAULT, layers, 1000L + c));
        }
        weights = new double[clients];
        Arrays.fill(weights, 1.0 / clients);
        file = Files.createTempFile("fedbiot-jmh", ".safetensors");
    }

    /** Removes the temp file. @throws IOException on failure */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * FedAvg of all updates.
     *
     * @return the average
     */
    @Benchmark
    public NamedTensors fedAvg() {
        return NamedTensors.weightedSum(updates, weights);
    }

    /**
     * Writes one update as safetensors and reads it back.
     *
     * @return the tensors read
     * @throws IOException on failure
     */
    @Benchmark
    public NamedTensors safetensorsRoundTrip() throws IOException {
        SafetensorsWriter.write(file, updates.get(0), Map.of());
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return r.readAll();
        }
    }
}
