/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One signal sent to a running {@code fedbiot}: after a fixed delay, or at the first sight of a temporary file
 * in its output directory (the atomic writes of the checkpoint and the metrics go through {@code *.tmp} files),
 * which puts it inside a write.
 *
 * @param afterMillis when the signal went out, counted from the start of the wait
 * @param sent false when the process had ended before the signal
 */
record Interruption(long afterMillis, boolean sent) {

    /** Sends {@code signal} after {@code delayMillis} unless the run has ended by then. */
    static Interruption after(FedbiotProcess run, String signal, long delayMillis)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (run.isAlive() && (System.nanoTime() - start) / 1_000_000 < delayMillis) {
            Thread.sleep(5);
        }
        return send(run, signal, start);
    }

    /** Waits until {@code file} exists, the run ends, or {@code limitMillis} pass. */
    static void awaitFile(FedbiotProcess run, Path file, long limitMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (run.isAlive() && !Files.exists(file) && (System.nanoTime() - start) / 1_000_000 < limitMillis) {
            Thread.sleep(5);
        }
    }

    /**
     * Sends {@code signal} as soon as a {@code *.tmp} file appears in {@code dir}, or after {@code limitMillis}
     * if none has; polling every fraction of a millisecond, since the tiny run's writes are short.
     */
    static Interruption atNextTempFile(FedbiotProcess run, Path dir, String signal, long limitMillis)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (run.isAlive() && (System.nanoTime() - start) / 1_000_000 < limitMillis && !hasTempFile(dir)) {
            Thread.onSpinWait();
        }
        return send(run, signal, start);
    }

    private static Interruption send(FedbiotProcess run, String signal, long start)
            throws IOException, InterruptedException {
        long after = (System.nanoTime() - start) / 1_000_000;
        if (!run.isAlive()) {
            return new Interruption(after, false);
        }
        run.signal(signal);
        return new Interruption(after, true);
    }

    private static boolean hasTempFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            return false;
        }
    }
}
