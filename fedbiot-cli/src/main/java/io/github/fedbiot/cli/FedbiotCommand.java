/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fedbiot} command. Each subcommand is its own class, listed in the {@code subcommands} attribute.
 */
@Command(
        name = "fedbiot",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Federated fine-tuning of large language models without the full model (FedBiOT, KDD 2024).",
        subcommands = {
            CommandLine.HelpCommand.class,
            BenchCommand.class,
            InfoCommand.class,
            GenerateCommand.class,
            ConvertGgufCommand.class,
            JoinCommand.class, FlowerServerCommand.class,
            SimulateCommand.class,
            ExportCommand.class,
        })
public final class FedbiotCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    // Read by UserErrors from the parse result, on whichever command it was given.
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace too.")
    private boolean debug;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // Tribuo and grpc-java log through java.util.logging; route it to the same SLF4J binding.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(newCommandLine().execute(args));
    }

    /** Returns the configured command line (used by tests too). @return the command line */
    public static CommandLine newCommandLine() {
        CommandLine fedbiot = new CommandLine(new FedbiotCommand());
        BenchCommand.addSubcommands(fedbiot.getSubcommands().get("bench"));
        // The handlers go in after every subcommand is added: picocli copies them to the subcommands present.
        UserErrors errors = new UserErrors();
        return fedbiot.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setExecutionStrategy(UserErrors.reportingOutOfMemory(new CommandLine.RunLast()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
