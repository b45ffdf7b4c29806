/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.cli.FedbiotCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code fedbiot} subcommand in a fresh JVM with this JVM's class path, so that each measured
 * configuration has its own process and its peak resident memory means something.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code fedbiot args...} in a child JVM and waits for it.
     *
     * @param heap the child's maximum heap, e.g. {@code 2g}
     * @param log the file that receives the child's stdout and stderr
     * @param timeoutSeconds the longest wait
     * @param args the subcommand and its arguments
     * @throws FedbiotException if the child fails or times out (the log file names what happened)
     */
    public static void run(String heap, Path log, long timeoutSeconds, List<String> args) {
        Process p = start(heap, List.of(), log, args);
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FedbiotException("child JVM timed out after " + timeoutSeconds + " s: " + args
                        + " (log: " + log + ")");
            }
            if (p.exitValue() != 0) {
                throw new FedbiotException("child JVM failed with exit code " + p.exitValue() + ": " + args
                        + " (log: " + log + ")");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FedbiotException("interrupted while waiting for a child JVM", e);
        }
    }

    /**
     * Starts {@code fedbiot args...} in a child JVM without waiting for it. Its standard input stays a pipe to
     * this JVM, so a child may take the end of its input (this JVM closing the pipe, or exiting) as a signal to
     * stop.
     *
     * @param heap the child's maximum heap, e.g. {@code 2g}
     * @param jvmOptions more JVM options
     * @param log the file that receives the child's stdout and stderr
     * @param args the subcommand and its arguments
     * @return the running child
     * @throws FedbiotException if it cannot be started
     */
    public static Process start(String heap, List<String> jvmOptions, Path log, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvmOptions);
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FedbiotCommand.class.getName());
        cmd.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new FedbiotException("cannot start a child JVM: " + e.getMessage(), e);
        }
    }
}
