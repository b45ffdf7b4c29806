/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli.bench;

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
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + heap);
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FedbiotCommand.class.getName());
        cmd.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FedbiotException("child JVM timed out after " + timeoutSeconds + " s: " + args
                        + " (log: " + log + ")");
            }
            if (p.exitValue() != 0) {
                throw new FedbiotException("child JVM failed with exit code " + p.exitValue() + ": " + args
                        + " (log: " + log + ")");
            }
        } catch (IOException e) {
            throw new FedbiotException("cannot start a child JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedbiotException("interrupted while waiting for a child JVM", e);
        }
    }
}
