/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.RecordProtos;
import io.github.fedbiot.flower.transport.FleetConnection;
import io.github.fedbiot.flower.transport.FleetException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node loop of flwr's {@code start_client_internal.py}: connect if needed, deliver waiting replies, PullMessages,
 * and for an instruction pull its objects, run the app and push the reply.
 *
 * <p>Failures: when the SuperLink is unreachable the loop backs off; when it no longer knows the node (restarted
 * with fresh state) the session connects again; any other refusal is logged and the loop goes on. Only a node the
 * SuperLink refuses for good ({@link NodeRefusedException}) ends it.
 */
final class NodeLoop {
    private static final Logger logger = LoggerFactory.getLogger(NodeLoop.class);

    /** The parts the loop calls, in the order it calls them. */
    record Parts(NodeSession session, MessagePuller puller, InstructionProcessor processor, RunConfigs runConfigs,
            ReplyOutbox outbox) {}

    private final FleetConnection fleet;
    private final Parts parts;
    private final Retrier retrier;
    private final Duration pollInterval;
    private final NodeRef self;
    private long unreachableSince;

    NodeLoop(FleetConnection fleet, Parts parts, Retrier retrier, Duration pollInterval, NodeRef self) {
        this.fleet = fleet;
        this.parts = parts;
        this.retrier = retrier;
        this.pollInterval = pollInterval;
        this.self = self;
    }

    /**
     * Runs until the node stops or the thread is interrupted.
     *
     * @throws NodeRefusedException if the SuperLink refuses the node for good
     */
    void run() {
        Backoff backoff = retrier.newBackoff();
        while (retrier.running() && !Thread.currentThread().isInterrupted()) {
            try {
                if (!parts.session().isConnected()) {
                    parts.session().connect();
                    backoff.reset();
                }
                parts.outbox().flush();
                Optional<FleetConnection.Inbound> in = fleet.pullMessage(self.value());
                backoff.reset();
                if (unreachableSince != 0) {
                    logger.info("[node {}] reconnected to the SuperLink at {} after {} s unreachable; node id kept",
                            self.id(), fleet.endpoint(), (System.nanoTime() - unreachableSince) / 1_000_000_000L);
                    unreachableSince = 0;
                }
                if (in.isEmpty()) {
                    retrier.sleep(pollInterval.toMillis());
                } else if (in.get().tree().isEmpty()) {
                    confirmTreeless(in.get().message());
                } else {
                    handle(in.get().message(), in.get().tree().get());
                }
            } catch (NodeRefusedException e) {
                throw e;
            } catch (FleetException e) {
                if (!retrier.running()) {
                    break;
                }
                onFailure(e, backoff);
            }
        }
    }

    private void onFailure(FleetException e, Backoff backoff) {
        if (e.kind() == FleetException.Kind.UNAUTHENTICATED) {
            logger.warn("[node {}] the SuperLink no longer accepts this node ({}); registering again", self.id(),
                    e.getMessage());
            parts.session().markLost();
            retrier.sleep(backoff.nextMillis());
        } else if (e.retryable()) {
            if (unreachableSince == 0) {
                unreachableSince = System.nanoTime();
            }
            long delay = backoff.nextMillis();
            logger.warn("[node {}] {}; retrying in {} ms", self.id(), e.getMessage(), delay);
            retrier.sleep(delay);
        } else {
            logger.warn("[node {}] {}", self.id(), e.getMessage());
            retrier.sleep(pollInterval.toMillis());
        }
    }

    /*
     * Memory: a large array exists about once at any time. Its chunks are copied into the array's storage as they
     * are pulled and dropped (MessagePuller); the reply's chunks are made from its arrays one at a time as they are
     * pushed (MessageSerde.deflate, ReplyOutbox). The methods below are split so that each stage's data leave with
     * its stack frame: the pulled objects when inflate returns, the reply message when ReplyOutbox.add returns.
     */
    private void handle(io.github.fedbiot.flower.proto.Message pulled, ObjectTree tree) {
        long start = System.nanoTime();
        if (parts.outbox().add(answer(pulled, tree), start)) {
            parts.outbox().flush();
        }
    }

    /** Pulls and inflates an instruction and runs the app on it; null if its objects are gone. */
    private Message answer(io.github.fedbiot.flower.proto.Message pulled, ObjectTree tree) {
        Metadata md = RecordProtos.fromProto(pulled.getMetadata()).withMessageId(tree.getObjectId());
        long runId = md.runId();
        logger.info("[node {}] received {} message {} (run {}, group '{}')", self.id(), md.messageType(),
                InstructionProcessor.shortId(md.messageId()), Long.toUnsignedString(runId), md.groupId());
        InstructionProcessor processor = parts.processor();
        try {
            InstructionProcessor.Inflated in = inflate(pulled, tree, runId, md.createdAt() + md.ttl());
            if (in == null) {
                return null;
            }
            if (in.rejection() != null) {
                return in.rejection();
            }
            return processor.run(in.instruction(), self.value(), parts.runConfigs().get(runId));
        } catch (RecordException e) {
            return processor.reject(md, e.getMessage());
        }
    }

    private InstructionProcessor.Inflated inflate(io.github.fedbiot.flower.proto.Message pulled, ObjectTree tree,
            long runId, double expiresAt) {
        MessagePuller.Pulled p = parts.puller().pull(runId, tree, expiresAt);
        return p == null ? null : parts.processor().inflate(pulled, tree, p.objects(), p.arrays());
    }

    /** Confirms, and so drops, a pulled message that came without its object tree: it cannot be inflated. */
    private void confirmTreeless(io.github.fedbiot.flower.proto.Message pulled) {
        Metadata md = RecordProtos.fromProto(pulled.getMetadata());
        logger.warn("[node {}] message {} (run {}) came without its object tree; dropped", self.id(),
                InstructionProcessor.shortId(md.messageId()), Long.toUnsignedString(md.runId()));
        try {
            fleet.confirmMessageReceived(self.value(), md.runId(), md.messageId());
        } catch (FleetException e) {
            logger.warn("[node {}] ConfirmMessageReceived failed: {}", self.id(), e.getMessage());
        }
    }
}
