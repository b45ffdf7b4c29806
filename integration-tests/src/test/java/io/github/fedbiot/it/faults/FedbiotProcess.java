/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code fedbiot} command run in its own JVM, as a user runs it, so that a signal ends it the way it ends a
 * user's run: {@code kill -9}, SIGTERM or SIGINT at a moment the harness chooses.
 */
final class FedbiotProcess {
    private final Process process;
    private final Path log;

    private FedbiotProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code fedbiot args...} with this JVM's class path; its output goes to {@code log}. */
    static FedbiotProcess start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "io.github.fedbiot.cli.FedbiotCommand"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new FedbiotProcess(p, log);
    }

    /** Runs {@code fedbiot args...} to its end and returns its exit code. */
    static int run(Path log, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return start(log, args).waitFor(timeoutSeconds);
    }

    /** Waits for the end and returns the exit code; a run past the timeout is killed and fails the test. */
    int waitFor(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("fedbiot did not end within " + timeoutSeconds + " s; log " + log);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends the signal ({@code KILL}, {@code TERM} or {@code INT}) to the process. */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    String output() throws IOException {
        return Files.readString(log);
    }
}
