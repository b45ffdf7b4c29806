/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.serde.DeflatedMessage;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.transport.FleetConnection;
import io.github.fedbiot.flower.transport.FleetException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's replies on their way to the SuperLink: PushMessages, then PushObject for each object the SuperLink
 * asks for. A reply stays queued across outages and reconnects until it is delivered, its instruction's TTL ends,
 * or the SuperLink refuses it for good (or, flwr 1.43, stores none of it).
 */
final class ReplyOutbox {
    private static final Logger logger = LoggerFactory.getLogger(ReplyOutbox.class);

    private final FleetConnection fleet;
    private final MessageSerde serde;
    private final NodeRef self;
    private final ArrayDeque<PendingReply> pending = new ArrayDeque<>();
    private final AtomicLong repliesSent = new AtomicLong();
    private final AtomicLong errorRepliesSent = new AtomicLong();

    ReplyOutbox(FleetConnection fleet, MessageSerde serde, NodeRef self) {
        this.fleet = fleet;
        this.serde = serde;
        this.self = self;
    }

    /**
     * Queues a reply.
     *
     * @param reply the reply, or null for none
     * @param start when its instruction was pulled ({@link System#nanoTime()}), for the runtime Flower records
     * @return true if it was queued (not null, its instruction not expired)
     */
    boolean add(Message reply, long start) {
        PendingReply p = prepare(reply, start);
        if (p == null) {
            return false;
        }
        synchronized (pending) {
            pending.addLast(p);
        }
        return true;
    }

    /** Returns the replies delivered (content and error). */
    long repliesSent() {
        return repliesSent.get();
    }

    /** Returns the error replies delivered. */
    long errorRepliesSent() {
        return errorRepliesSent.get();
    }

    /** Returns the replies still waiting. */
    int size() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** A reply not yet fully delivered, kept across reconnects. */
    private static final class PendingReply {
        final DeflatedMessage deflated;
        final long runId;
        final double runtime;
        final double expiresAt;
        final boolean error;
        String sessionId;
        Set<String> toPush;

        PendingReply(DeflatedMessage deflated, long runId, double runtime, double expiresAt, boolean error) {
            this.deflated = deflated;
            this.runId = runId;
            this.runtime = runtime;
            this.expiresAt = expiresAt;
            this.error = error;
        }
    }

    /** Deflates a reply for delivery; null if there is none or its instruction expired. */
    private PendingReply prepare(Message reply, long start) {
        if (reply == null) {
            return null;
        }
        double runtime = (System.nanoTime() - start) / 1e9;
        if (reply.metadata().ttl() <= 0) {
            logger.warn("[node {}] reply to {} not sent: the instruction expired", self.id(),
                    InstructionProcessor.shortId(reply.metadata().replyToMessageId()));
            return null;
        }
        DeflatedMessage d = serde.deflate(reply);
        return new PendingReply(d, reply.metadata().runId(), runtime,
                reply.metadata().createdAt() + reply.metadata().ttl(), !reply.hasContent());
    }

    /**
     * Pushes the waiting replies in order.
     *
     * @throws FleetException if the SuperLink is unreachable or no longer knows the node: the reply stays queued
     */
    void flush() {
        while (true) {
            PendingReply p;
            synchronized (pending) {
                p = pending.peekFirst();
            }
            if (p == null) {
                return;
            }
            if (Retrier.now() > p.expiresAt) {
                logger.warn("[node {}] dropping reply {}: its TTL ran out before it could be delivered", self.id(),
                        InstructionProcessor.shortId(p.deflated.messageId()));
            } else {
                try {
                    push(p);
                } catch (FleetException e) {
                    if (e.retryable() || e.kind() == FleetException.Kind.UNAUTHENTICATED) {
                        logger.debug("[node {}] reply {} kept for retry: {}", self.id(),
                                InstructionProcessor.shortId(p.deflated.messageId()), e.getMessage());
                        throw e;
                    }
                    logger.warn("[node {}] reply {} refused by the SuperLink, dropped: {}", self.id(),
                            InstructionProcessor.shortId(p.deflated.messageId()), e.getMessage());
                }
            }
            synchronized (pending) {
                pending.pollFirst();
            }
        }
    }

    private void push(PendingReply p) {
        DeflatedMessage d = p.deflated;
        if (p.toPush == null) {
            FleetConnection.PushReceipt r = fleet.pushMessage(self.value(), d.pushProto(), d.tree(), p.runtime);
            if (r.objectsToPush().isEmpty() && !r.resultIds().contains(d.messageId())) {
                // flwr 1.43 answers 200 to a reply it does not store (run finished, instruction gone), asking
                // for none of its objects; a reply it stores has at least its new Message object to send.
                logger.warn("[node {}] {} reply {} dropped by the SuperLink: it stored none of it (its run has"
                        + " finished or the instruction is gone)", self.id(), p.error ? "error" : "content",
                        InstructionProcessor.shortId(d.messageId()));
                return;
            }
            p.sessionId = r.sessionId();
            p.toPush = new HashSet<>(r.objectsToPush());
        }
        for (String id : d.objects().keySet()) {
            if (!p.toPush.contains(id)) {
                continue;
            }
            // get() makes an array chunk's bytes now: only the chunk being pushed exists besides the array
            boolean stored = fleet.pushObject(self.value(), p.runId, p.sessionId, id, d.objects().get(id));
            if (!stored) {
                logger.warn("[node {}] SuperLink did not store object {}", self.id(), InstructionProcessor.shortId(id));
            }
            p.toPush.remove(id);
        }
        repliesSent.incrementAndGet();
        if (p.error) {
            errorRepliesSent.incrementAndGet();
        }
        logger.info("[node {}] sent {} reply {} ({} objects, {} bytes)", self.id(), p.error ? "error" : "content",
                InstructionProcessor.shortId(d.messageId()), d.objects().size(), d.byteSize());
    }
}
