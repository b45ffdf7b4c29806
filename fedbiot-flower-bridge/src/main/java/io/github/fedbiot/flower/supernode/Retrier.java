/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.transport.FleetException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's retry policy, as flwr's {@code RetryInvoker}: retries one Fleet call while the SuperLink is
 * unreachable, with {@link Backoff}, until a deadline or until the node stops; hands out the backoff the node loop
 * and activation wait with; and does the node's sleeps, which end the node when interrupted.
 */
final class Retrier {
    private static final Logger logger = LoggerFactory.getLogger(Retrier.class);

    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final AtomicBoolean running;
    private final NodeRef self;

    Retrier(Duration minBackoff, Duration maxBackoff, AtomicBoolean running, NodeRef self) {
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.running = running;
        this.self = self;
    }

    /** Returns the current time in Unix seconds, the unit of Flower's message timestamps. */
    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** Returns a fresh backoff over the policy's range. */
    Backoff newBackoff() {
        return new Backoff(minBackoff, maxBackoff);
    }

    /** Returns whether the node is still running. */
    boolean running() {
        return running.get();
    }

    /**
     * Runs a call, retrying retryable failures with backoff.
     *
     * @param call the Fleet call
     * @param deadline Unix seconds after which no retry is started
     * @return the call's result
     * @throws FleetException the call's failure when it is not retryable, past the deadline or the node stopped
     */
    <T> T call(Supplier<T> call, double deadline) {
        Backoff b = newBackoff();
        while (true) {
            try {
                return call.get();
            } catch (FleetException e) {
                if (!e.retryable() || !running.get() || now() + b.nextMillis() / 1000.0 > deadline) {
                    throw e;
                }
                long delay = b.nextMillis();
                logger.warn("[node {}] {}; retrying in {} ms", self.id(), e.getMessage(), delay);
                sleep(delay);
            }
        }
    }

    /**
     * Runs a call that returns nothing, retrying as {@link #call} does.
     *
     * @param call the Fleet call
     * @param deadline Unix seconds after which no retry is started
     */
    void run(Runnable call, double deadline) {
        call(() -> {
            call.run();
            return null;
        }, deadline);
    }

    /** Sleeps; an interrupt stops the node. */
    void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
