/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The {@code fedbiot bench} group: benchmarks that write result files. Its subcommands are the
 * {@link BenchSubcommand}s on the class path (the benchmarks module); without them it says how to build them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that measure speed and memory and write JSON result files.")
public final class BenchCommand implements Callable<Integer> {

    /** What {@code bench} says when the benchmarks module is not on the class path. */
    static final String MISSING = "fedbiot bench needs the benchmarks module: build it with "
            + "`mvn -B -DskipTests package -pl benchmarks -am` (bin/fedbiot then puts benchmarks/target/"
            + "fedbiot-benchmarks-*.jar and benchmarks/target/lib on the class path).";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Adds the bench subcommands found on the class path to {@code bench}, each a fresh instance; without any,
     * {@code bench} takes whatever follows it so that it can answer with {@link #MISSING}.
     *
     * @param bench the command line of this command
     */
    static void addSubcommands(CommandLine bench) {
        List<BenchSubcommand> found = ServiceLoader.load(BenchSubcommand.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        found.forEach(bench::addSubcommand);
        if (found.isEmpty()) {
            bench.getCommandSpec().addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*")
                    .hidden(true).type(String[].class).build());
            bench.setUnmatchedOptionsArePositionalParams(true);
            bench.getCommandSpec().usageMessage().footer("", MISSING);
        }
    }

    /** Prints the list of benchmarks, or how to get them. @return the exit code */
    @Override
    public Integer call() {
        if (spec.subcommands().isEmpty()) {
            spec.commandLine().getErr().println(MISSING);
            return 1;
        }
        spec.commandLine().usage(System.out);
        return 0;
    }
}
