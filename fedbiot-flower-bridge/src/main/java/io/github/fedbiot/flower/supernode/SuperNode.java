/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.serde.ObjectLimits;
import io.github.fedbiot.flower.transport.FleetConnection;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.flower.transport.FleetTransport;
import io.github.fedbiot.flower.transport.NodeIdentity;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flower SuperNode in Java that runs a {@link ClientApp} in-process.
 *
 * <p>What it does, in Flower's order ({@code flwr/supernode/start_client_internal.py}): RegisterNode (a key the
 * SuperLink already knows is fine) and ActivateNode; SendNodeHeartbeat on its own thread; PullMessages; for an
 * instruction, PullObject for every object of its tree (children first), checking each object's SHA-256 against
 * its id and the {@link ObjectLimits}; ConfirmMessageReceived; run the handler; PushMessages and PushObject for the
 * reply's objects the SuperLink asks for. {@link #close()} deactivates and unregisters the node.
 *
 * <p>Failures: a malformed instruction, an unknown message type or a handler exception produces an error reply
 * and a log line, and the node goes on. When the SuperLink is unreachable the node retries with exponential
 * backoff; when it no longer knows the node (restarted with fresh state) the node registers again. A computed
 * reply is kept and pushed again after reconnecting until the instruction's TTL runs out or the SuperLink
 * refuses it for good (run finished).
 *
 * <p>This class only wires and drives the parts, each of which does one of those jobs: the session (registration,
 * activation, heartbeat, deactivation), the object puller, the instruction processor, the reply outbox, the retry
 * policy, and the node loop that calls them in turn.
 */
public final class SuperNode implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SuperNode.class);

    private final FleetTransport transport;
    private final boolean ownsTransport;
    private final boolean shutdownHook;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final NodeRef self = new NodeRef();
    private final NodeSession session;
    private final ReplyOutbox outbox;
    private final NodeLoop loop;
    private volatile Thread loopThread;
    private volatile Thread hook;

    /**
     * Wires a node; no network traffic yet.
     *
     * @param config the validated settings
     * @param app the app that handles instructions
     * @param identity the key every call is signed with
     * @param transport the Fleet API
     * @param ownsTransport whether {@link #close()} closes the transport
     */
    SuperNode(SuperNodeConfig config, ClientApp app, NodeIdentity identity, FleetTransport transport,
            boolean ownsTransport) {
        this.transport = transport;
        this.ownsTransport = ownsTransport;
        this.shutdownHook = config.shutdownHook();
        MessageSerde serde = new MessageSerde(config.chunkSize());
        FleetConnection fleet = new FleetConnection(transport);
        Retrier retrier = new Retrier(config.minBackoff(), config.maxBackoff(), running, self);
        InstructionProcessor processor = new InstructionProcessor(app, serde, config.limits(), config.nodeConfig());
        NodeActivation activation = new NodeActivation(fleet, identity, config.heartbeatInterval(),
                config.activationWait(), retrier.newBackoff(), retrier);
        this.session = new NodeSession(fleet, activation, config.heartbeatInterval(), retrier, self);
        this.outbox = new ReplyOutbox(fleet, serde, self);
        NodeLoop.Parts parts = new NodeLoop.Parts(session, new MessagePuller(fleet, processor, retrier, self),
                processor, new RunConfigs(fleet, self), outbox);
        this.loop = new NodeLoop(fleet, parts, retrier, config.pollInterval(), self);
    }

    /** Returns a new builder. @return the builder */
    public static SuperNodeBuilder builder() {
        return new SuperNodeBuilder();
    }

    /** Returns the node id the SuperLink assigned, or 0 before activation. @return the id */
    public long nodeId() {
        return self.value();
    }

    /** Returns whether the node is registered and activated right now. @return true if so */
    public boolean isConnected() {
        return session.isConnected();
    }

    /** Returns the number of replies delivered (content and error). @return the count */
    public long repliesSent() {
        return outbox.repliesSent();
    }

    /** Returns the number of error replies delivered. @return the count */
    public long errorRepliesSent() {
        return outbox.errorRepliesSent();
    }

    /** Returns the number of replies still waiting for delivery, for monitoring. @return the count */
    public int pendingReplies() {
        return outbox.size();
    }

    /** Returns the transport's endpoint. @return e.g. {@code http://127.0.0.1:9093} */
    public String endpoint() {
        return transport.endpoint();
    }

    /**
     * Starts {@link #run()} on a new thread named {@code flower-supernode}.
     *
     * @return this node
     */
    public SuperNode start() {
        Thread t = new Thread(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                logger.error("[node] stopped: {}", e.toString(), e);
            }
        }, "flower-supernode");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /**
     * Runs the node until {@link #close()} is called or the thread is interrupted.
     *
     * @throws FleetException if the SuperLink refuses the node for good (e.g. registration and activation denied)
     * @throws IllegalStateException if the node was closed or is already running
     */
    public void run() {
        if (closed.get()) {
            throw new IllegalStateException("SuperNode is closed");
        }
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("SuperNode is already running");
        }
        loopThread = Thread.currentThread();
        if (shutdownHook) {
            hook = new Thread(this::close, "flower-supernode-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        session.startHeartbeat();
        try {
            loop.run();
        } finally {
            running.set(false);
            session.stopHeartbeat();
            // close() must not wait for a loop that has ended: from a shutdown hook during System.exit on this
            // thread, that wait would hold the exit for its whole timeout.
            loopThread = null;
        }
    }

    /**
     * Stops the loop (waiting up to 30 s for a running handler), stops the heartbeat, and deactivates and
     * unregisters the node. Safe to call more than once and from a shutdown hook.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running.set(false);
        Thread t = loopThread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        session.close();
        if (ownsTransport) {
            transport.close();
        }
        Thread h = hook;
        if (h != null && h != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException e) {
                // The JVM is shutting down already.
            }
        }
    }
}
