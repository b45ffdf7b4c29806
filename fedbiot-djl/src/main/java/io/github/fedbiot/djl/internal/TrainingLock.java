/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs gradient work one call at a time across the process: DJL's PyTorch engine allows one gradient
 * collector per process, so local training and alignment of all models take turns, while evaluation and
 * generation (no gradients) run concurrently.
 */
public final class TrainingLock {
    // process-wide because the constraint is: one lock per JVM, whatever the number of models
    private static final ReentrantLock LOCK = new ReentrantLock();

    private TrainingLock() {}

    /**
     * Runs work while holding the lock.
     *
     * @param work the work
     * @param <T> its result type
     * @return its result
     */
    public static <T> T exclusively(Supplier<T> work) {
        LOCK.lock();
        try {
            return work.get();
        } finally {
            LOCK.unlock();
        }
    }
}
