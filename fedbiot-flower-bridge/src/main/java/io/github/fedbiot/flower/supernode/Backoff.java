/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter between a minimum and a maximum delay. */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private int attempt;

    Backoff(Duration min, Duration max) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
    }

    /** Returns the next delay and counts the attempt. */
    long nextMillis() {
        long cap = Math.min(maxMillis, minMillis << Math.min(attempt, 20));
        attempt++;
        return minMillis + ThreadLocalRandom.current().nextLong(Math.max(1, cap - minMillis + 1));
    }

    int attempts() {
        return attempt;
    }

    void reset() {
        attempt = 0;
    }
}
