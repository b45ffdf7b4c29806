/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The one place that turns what a command throws into what a user reads: a user error (a bad argument or
 * configuration, a missing or corrupt file) is one line on standard error and exit code 2; anything else is
 * one line, a hint to rerun with {@code --debug}, and exit code 1. With {@code --debug} the stack trace follows.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    /** The exit code of a user error. */
    static final int USAGE = 2;
    /** The exit code of an unexpected failure. */
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean user = isUserError(e);
        err.println(prefix(cmd) + message(e));
        if (debug(parsed)) {
            e.printStackTrace(err);
        } else if (!user) {
            err.println("(an unexpected error; run again with --debug for the stack trace)");
        }
        err.flush();
        return user ? USAGE : FAILURE;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(prefix(cmd) + e.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
        if (java.util.Arrays.asList(args).contains("--debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }

    /**
     * Wraps an execution strategy so that an {@link OutOfMemoryError}, which picocli lets through as a stack trace,
     * reaches {@link #handleExecutionException} as one line that says what to lower.
     *
     * @param strategy the strategy to run
     * @return the wrapped strategy
     */
    static CommandLine.IExecutionStrategy reportingOutOfMemory(CommandLine.IExecutionStrategy strategy) {
        return parsed -> {
            try {
                return strategy.execute(parsed);
            } catch (OutOfMemoryError e) {
                CommandLine.ParseResult last = parsed;
                while (last.subcommand() != null) {
                    last = last.subcommand();
                }
                String m = "out of memory (" + e.getMessage() + "); lower client.batch_size, server.batch_size, "
                        + "eval.batch_size or data.max_length, or give Java more heap (FEDBIOT_JAVA_OPTS=-Xmx...)";
                throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), m,
                        new IllegalStateException(m, e));
            }
        };
    }

    /** Errors a user can fix: bad arguments, configuration or input files; the message says what to fix. */
    private static boolean isUserError(Throwable e) {
        return e instanceof ConfigException || e instanceof FedbiotException
                || e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException;
    }

    private static String message(Throwable e) {
        String m = e instanceof UncheckedIOException u ? IoErrors.describe(u.getCause()) : e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        // one line whatever a library put into the message (Jackson adds its source location on a second one)
        text = text.strip().replaceAll("\\s*\\R\\s*", " ");
        return e instanceof ConfigException ? "bad configuration: " + text : text;
    }

    private static String prefix(CommandLine cmd) {
        String name = cmd.getCommandSpec().qualifiedName(" ");
        return (name.startsWith("fedbiot ") ? name.substring("fedbiot ".length()) : name) + ": ";
    }

    private static boolean debug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
