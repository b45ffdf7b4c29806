/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedbiot bench} group: benchmarks that write result files. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that measure speed and memory and write JSON result files.",
        subcommands = {EngineBenchCommand.class, io.github.fedbiot.cli.bench.MatmulBench.class,
            io.github.fedbiot.cli.bench.PytorchBench.class, io.github.fedbiot.cli.bench.ClientCostBench.class,
            io.github.fedbiot.cli.bench.ScaleBench.class, io.github.fedbiot.cli.bench.ReplicationBench.class,
            io.github.fedbiot.cli.bench.FlowerOverheadBench.class, io.github.fedbiot.cli.bench.FlowerOverheadNode.class,
            io.github.fedbiot.cli.bench.FlowerWireBench.class,
            io.github.fedbiot.cli.bench.PytorchDjlWorker.class, io.github.fedbiot.cli.bench.ClientCostWorker.class,
            io.github.fedbiot.cli.bench.SimulationWorker.class, io.github.fedbiot.cli.bench.JmhPlot.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Prints the list of benchmarks. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
