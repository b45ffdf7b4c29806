/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

/**
 * The time and memory a round took.
 *
 * @param wallSeconds wall time of the round
 * @param heapBytes JVM heap in use at the end of the round
 * @param rssBytes resident set size of the process at the end of the round (-1 when unknown)
 */
public record RoundCost(double wallSeconds, long heapBytes, long rssBytes) {

    /**
     * Measures a round that started at {@code startNanos} and ends now.
     *
     * @param startNanos {@link System#nanoTime()} at the start
     * @param endNanos {@link System#nanoTime()} at the end
     * @return the cost with the process's current memory
     */
    public static RoundCost measure(long startNanos, long endNanos) {
        return new RoundCost((endNanos - startNanos) / 1e9, ProcessMemory.heapUsed(), ProcessMemory.residentSetSize());
    }
}
