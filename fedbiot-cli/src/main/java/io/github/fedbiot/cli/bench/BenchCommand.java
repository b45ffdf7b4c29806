/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fedbiot bench}: benchmarks that write JSON results and PNG plots under a results directory
 * ({@code --out}, default {@code bench-results}). See docs/benchmarks.md for the commands behind the published
 * numbers.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: JSON results and PNG plots under --out.",
        subcommands = {
            MatmulBench.class,
            ClientCostBench.class,
            ClientCostWorker.class,
            PytorchBench.class,
            PytorchDjlWorker.class,
            ReplicationBench.class,
            ScaleBench.class,
            SimulationWorker.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
