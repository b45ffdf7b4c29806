/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the node's heartbeat on its own thread, as flwr's {@code HeartbeatSender}: well inside the interval the node
 * promised, jittered so that nodes do not synchronise, and sooner again after a failed one so that a short outage
 * does not cost the node its place.
 */
final class HeartbeatSender {
    private static final Logger logger = LoggerFactory.getLogger(HeartbeatSender.class);
    private static final long RETRY_MILLIS = 2000;

    /** One heartbeat. */
    @FunctionalInterface
    interface Beat {
        /** Sends it; returns false when it failed and the next one should come soon. */
        boolean send();
    }

    private final Duration interval;
    private final BooleanSupplier running;
    private final Beat beat;
    private final NodeRef self;
    private volatile ScheduledExecutorService executor;

    HeartbeatSender(Duration interval, BooleanSupplier running, Beat beat, NodeRef self) {
        this.interval = interval;
        this.running = running;
        this.beat = beat;
        this.self = self;
    }

    /** Starts the heartbeat thread; the first beat comes after about half the interval. */
    void start() {
        ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flower-supernode-heartbeat");
            t.setDaemon(true);
            return t;
        });
        executor = e;
        e.schedule(() -> beatOnce(e), nextMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the heartbeat thread; safe to call more than once, or before {@link #start()}. */
    void stop() {
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
        }
    }

    private long nextMillis() {
        double f = ThreadLocalRandom.current().nextDouble(0.4, 0.6);
        return (long) (interval.toMillis() * f);
    }

    private void beatOnce(ScheduledExecutorService e) {
        long delay = nextMillis();
        try {
            if (!beat.send()) {
                delay = Math.min(delay, RETRY_MILLIS);
            }
        } catch (RuntimeException ex) {
            logger.warn("[node {}] heartbeat failed: {}", self.id(), ex.toString());
        } finally {
            if (running.getAsBoolean() && !e.isShutdown()) {
                e.schedule(() -> beatOnce(e), delay, TimeUnit.MILLISECONDS);
            }
        }
    }
}
