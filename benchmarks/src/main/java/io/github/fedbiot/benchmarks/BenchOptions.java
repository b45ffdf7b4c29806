/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the bench subcommands (a picocli mixin). */
public final class BenchOptions {
    /** Where result files go. */
    @Option(names = "--out", defaultValue = "bench-results", description = "Results directory (default: ${DEFAULT-VALUE}).")
    Path out;

    /** PyTorch intra-op threads. */
    @Option(names = "--threads", defaultValue = "2", description = "PyTorch threads, both engines (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The seed of every random choice. */
    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * Sets DJL's PyTorch thread counts; effective only before the engine is first loaded in this JVM.
     */
    void applyThreads() {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    }

    /** Returns the results directory. @return the directory */
    public Path out() {
        return out;
    }

    /** Returns the thread count. @return the threads */
    public int threads() {
        return threads;
    }

    /** Returns the seed. @return the seed */
    public long seed() {
        return seed;
    }
}
