/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link ClientCostWorker} configuration in its own JVM for the compressed-weights benchmarks
 * ({@link Scale7bBench}, {@link WeightFormatsBench}), so each peak resident memory is that process's own.
 */
final class CompressedWorkers {
    private static final Logger logger = LoggerFactory.getLogger(CompressedWorkers.class);

    private CompressedWorkers() {}

    static JsonNode run(BenchOptions options, Path work, String name, String heap, long timeoutSeconds,
            List<String> args) {
        Path result = work.resolve(name + ".json");
        List<String> a = new ArrayList<>(List.of("bench", "client-cost-worker", "--threads",
                Integer.toString(options.threads()), "--seed", Long.toString(options.seed()), "--result",
                result.toString()));
        a.addAll(args);
        logger.info("running {}: {}", name, a);
        ChildJvm.run(heap, work.resolve(name + ".log"), timeoutSeconds, a);
        try {
            return BenchResults.JSON.readTree(result.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
