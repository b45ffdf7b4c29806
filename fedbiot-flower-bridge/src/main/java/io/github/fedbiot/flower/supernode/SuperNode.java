/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedRequest;
import io.github.fedbiot.flower.proto.DeactivateNodeRequest;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.proto.PullMessagesRequest;
import io.github.fedbiot.flower.proto.PullMessagesResponse;
import io.github.fedbiot.flower.proto.SendNodeHeartbeatRequest;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetRequest;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.serde.ObjectLimits;
import io.github.fedbiot.flower.serde.RecordProtos;
import io.github.fedbiot.flower.transport.FleetClientOptions;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.flower.transport.FleetTransport;
import io.github.fedbiot.flower.transport.NodeIdentity;
import io.github.fedbiot.flower.transport.grpc.GrpcFleetTransport;
import io.github.fedbiot.flower.transport.http.HttpFleetTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 */
public final class SuperNode implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SuperNode.class);
    private static final long SUPERLINK_NODE_ID = 1;

    private final FleetTransport transport;
    private final boolean ownsTransport;
    private final NodeIdentity identity;
    private final Duration heartbeatInterval;
    private final Duration pollInterval;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Duration activationWait;
    private final MessageSerde serde;
    private final InstructionProcessor processor;
    private final NodeRef self = new NodeRef(() -> this.nodeId);
    private final Retrier retrier;
    private final MessagePuller puller;
    private final ReplyOutbox outbox;
    private final boolean shutdownHook;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<Long, Map<String, Object>> runConfigs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long nodeId;
    private volatile boolean connected;
    private volatile boolean selfRegistered;
    private volatile Thread loopThread;
    private long unreachableSince;
    private volatile Thread hook;
    private ScheduledExecutorService heartbeat;

    private SuperNode(Builder b) {
        this.identity = b.identity != null ? b.identity : NodeIdentity.generate();
        if (b.transport != null) {
            this.transport = b.transport;
            this.ownsTransport = false;
        } else {
            FleetClientOptions opts = b.options.build();
            this.transport = b.grpc ? GrpcFleetTransport.create(opts, identity) : HttpFleetTransport.create(opts, identity);
            this.ownsTransport = true;
        }
        this.heartbeatInterval = b.heartbeatInterval;
        this.pollInterval = b.pollInterval;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.activationWait = b.activationWait;
        this.serde = new MessageSerde(b.chunkSize);
        this.processor = new InstructionProcessor(b.app, new MessageSerde(b.chunkSize), b.limits, b.nodeConfig);
        this.shutdownHook = b.shutdownHook;
        this.retrier = new Retrier(minBackoff, maxBackoff, running, self);
        this.puller = new MessagePuller(transport, processor, retrier, self);
        this.outbox = new ReplyOutbox(transport, serde, self);
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the node id the SuperLink assigned, or 0 before activation. @return the id */
    public long nodeId() {
        return nodeId;
    }

    /** Returns whether the node is registered and activated right now. @return true if so */
    public boolean isConnected() {
        return connected;
    }

    /** Returns the number of replies delivered (content and error). @return the count */
    public long repliesSent() {
        return outbox.repliesSent();
    }

    /** Returns the number of error replies delivered. @return the count */
    public long errorRepliesSent() {
        return outbox.errorRepliesSent();
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
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flower-supernode-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.schedule(this::heartbeatOnce, nextHeartbeatMillis(), TimeUnit.MILLISECONDS);
        Backoff backoff = new Backoff(minBackoff, maxBackoff);
        try {
            while (running.get() && !Thread.currentThread().isInterrupted()) {
                try {
                    if (!connected) {
                        connect();
                        backoff.reset();
                    }
                    outbox.flush();
                    PullMessagesResponse res = transport.pullMessages(
                            PullMessagesRequest.newBuilder().setNode(self.proto()).build());
                    backoff.reset();
                    if (unreachableSince != 0) {
                        logger.info("[node {}] reconnected to the SuperLink at {} after {} s unreachable; node id kept",
                                self.id(), transport.endpoint(),
                                (System.nanoTime() - unreachableSince) / 1_000_000_000L);
                        unreachableSince = 0;
                    }
                    if (res.getMessagesListCount() == 0) {
                        retrier.sleep(pollInterval.toMillis());
                        continue;
                    }
                    if (res.getMessageObjectTreesCount() == 0) {
                        confirmTreeless(res.getMessagesList(0));
                        continue;
                    }
                    handle(res.getMessagesList(0), res.getMessageObjectTrees(0));
                } catch (NodeRefusedException e) {
                    throw e;
                } catch (FleetException e) {
                    if (!running.get()) {
                        break;
                    }
                    if (e.kind() == FleetException.Kind.UNAUTHENTICATED) {
                        logger.warn("[node {}] the SuperLink no longer accepts this node ({}); registering again",
                                self.id(), e.getMessage());
                        connected = false;
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
            }
        } finally {
            running.set(false);
            heartbeat.shutdownNow();
            // close() must not wait for a loop that has ended: from a shutdown hook during System.exit on this
            // thread, that wait would hold the exit for its whole timeout.
            loopThread = null;
        }
    }

    // ---------------------------------------------------------------- registration and heartbeat



    private void connect() {
        long previous = nodeId;
        NodeActivation.Activated a = new NodeActivation(transport, identity, heartbeatInterval, activationWait,
                new Backoff(minBackoff, maxBackoff), retrier).activate();
        nodeId = a.nodeId();
        selfRegistered = a.selfRegistered();
        connected = true;
        if (previous != 0 && previous != nodeId) {
            logger.info("[node {}] activated at {} (the SuperLink had forgotten node {}: registered again)", self.id(),
                    transport.endpoint(), Long.toUnsignedString(previous));
        } else {
            logger.info("[node {}] activated at {}", self.id(), transport.endpoint());
        }
    }

    private long nextHeartbeatMillis() {
        // As flwr's HeartbeatSender: well inside the interval, jittered so that nodes do not synchronise.
        double f = ThreadLocalRandom.current().nextDouble(0.4, 0.6);
        return (long) (heartbeatInterval.toMillis() * f);
    }

    private void heartbeatOnce() {
        long delay = nextHeartbeatMillis();
        try {
            if (connected && running.get()) {
                boolean ok = transport.sendNodeHeartbeat(SendNodeHeartbeatRequest.newBuilder().setNode(self.proto())
                        .setHeartbeatInterval(heartbeatInterval.toMillis() / 1000.0).build()).getSuccess();
                if (!ok) {
                    logger.warn("[node {}] heartbeat refused: the SuperLink does not know this node", self.id());
                    connected = false;
                }
            }
        } catch (FleetException e) {
            if (e.kind() == FleetException.Kind.UNAUTHENTICATED) {
                connected = false;
            }
            logger.warn("[node {}] heartbeat failed: {}", self.id(), e.getMessage());
            delay = Math.min(delay, 2000);
        } catch (RuntimeException e) {
            logger.warn("[node {}] heartbeat failed: {}", self.id(), e.toString());
        } finally {
            if (running.get() && !heartbeat.isShutdown()) {
                heartbeat.schedule(this::heartbeatOnce, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    // ---------------------------------------------------------------- one instruction

    /*
     * Memory: a large array exists about once at any time. Its chunks are copied into the array's storage as they
     * are pulled and dropped (pullObjects); the reply's chunks are made from its arrays one at a time as they are
     * pushed (MessageSerde.deflate, push). The methods below are split so that each stage's data leave with its
     * stack frame: the pulled objects when inflateMessage returns, the reply message when prepare returns.
     */
    private void handle(io.github.fedbiot.flower.proto.Message pulled, ObjectTree tree) {
        long start = System.nanoTime();
        if (outbox.add(answer(pulled, tree), start)) {
            outbox.flush();
        }
    }

    /** Pulls and inflates an instruction and runs the app on it; null if its objects are gone. */
    private Message answer(io.github.fedbiot.flower.proto.Message pulled, ObjectTree tree) {
        Metadata md = RecordProtos.fromProto(pulled.getMetadata()).withMessageId(tree.getObjectId());
        long runId = md.runId();
        logger.info("[node {}] received {} message {} (run {}, group '{}')", self.id(), md.messageType(),
                shortId(md.messageId()), Long.toUnsignedString(runId), md.groupId());
        try {
            InstructionProcessor.Inflated in = inflateMessage(pulled, tree, runId, md.createdAt() + md.ttl());
            if (in == null) {
                return null;
            }
            if (in.rejection() != null) {
                return in.rejection();
            }
            return processor.run(in.instruction(), nodeId, runConfig(runId));
        } catch (RecordException e) {
            return processor.reject(md, e.getMessage());
        }
    }

    private InstructionProcessor.Inflated inflateMessage(io.github.fedbiot.flower.proto.Message pulled,
            ObjectTree tree, long runId, double expiresAt) {
        MessagePuller.Pulled p = puller.pull(runId, tree, expiresAt);
        return p == null ? null : processor.inflate(pulled, tree, p.objects(), p.arrays());
    }

    /** Confirms, and so drops, a pulled message that came without its object tree: it cannot be inflated. */
    private void confirmTreeless(io.github.fedbiot.flower.proto.Message pulled) {
        Metadata md = RecordProtos.fromProto(pulled.getMetadata());
        logger.warn("[node {}] message {} (run {}) came without its object tree; dropped", self.id(),
                shortId(md.messageId()), Long.toUnsignedString(md.runId()));
        try {
            transport.confirmMessageReceived(ConfirmMessageReceivedRequest.newBuilder().setNode(self.proto())
                    .setRunId(md.runId()).setMessageObjectId(md.messageId()).build());
        } catch (FleetException e) {
            logger.warn("[node {}] ConfirmMessageReceived failed: {}", self.id(), e.getMessage());
        }
    }

    /** Returns the run's config, fetched once per run (GetRun + GetFab); empty if the SuperLink cannot give it. */
    private Map<String, Object> runConfig(long runId) {
        Map<String, Object> c = runConfigs.get(runId);
        if (c == null) {
            try {
                c = RunConfigs.fetch(transport, nodeId, runId);
            } catch (FleetException | RecordException e) {
                logger.warn("[node {}] run config of run {} unavailable: {}", self.id(), Long.toUnsignedString(runId),
                        e.getMessage());
                return Map.of();
            }
            if (runConfigs.size() > 100) {
                runConfigs.clear();
            }
            runConfigs.put(runId, c);
        }
        return c;
    }

    // ---------------------------------------------------------------- replies

    // ---------------------------------------------------------------- helpers

    private static String shortId(String id) {
        return InstructionProcessor.shortId(id);
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
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        if (connected) {
            connected = false;
            try {
                transport.deactivateNode(DeactivateNodeRequest.newBuilder().setNodeId(nodeId).build());
                if (selfRegistered) {
                    transport.unregisterNode(UnregisterNodeFleetRequest.newBuilder().setNodeId(nodeId).build());
                }
                logger.info("[node {}] deactivated", self.id());
            } catch (FleetException e) {
                logger.warn("[node {}] could not deactivate: {}", self.id(), e.getMessage());
            }
        }
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

    /** Builds a {@link SuperNode}: a SuperLink address (or a transport) and a client app are required. */
    public static final class Builder {
        private final FleetClientOptions.Builder options = FleetClientOptions.builder();
        private boolean superlinkSet;
        private boolean grpc;
        private FleetTransport transport;
        private NodeIdentity identity;
        private Path keyFile;
        private ClientApp app;
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration minBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration activationWait = Duration.ofMinutes(5);
        private ObjectLimits limits = ObjectLimits.DEFAULT;
        private int chunkSize = MessageSerde.DEFAULT_CHUNK_SIZE;
        private Map<String, Object> nodeConfig = Map.of();
        private boolean shutdownHook;

        Builder() {}

        /**
         * Sets the SuperLink's Fleet address ({@code host:port} or {@code http(s)://host:port}).
         *
         * @param address the address
         * @return this builder
         */
        public Builder setSuperlink(String address) {
            options.setSuperlink(address);
            superlinkSet = true;
            return this;
        }

        /**
         * Sets the app that handles instructions.
         *
         * @param clientApp the app
         * @return this builder
         */
        public Builder setClientApp(ClientApp clientApp) {
            app = Objects.requireNonNull(clientApp, "clientApp");
            return this;
        }

        /**
         * Uses the gRPC Fleet API (flwr up to 1.39; 1.42.0 no longer serves it) instead of HTTP (flwr 1.40+, the
         * default).
         *
         * @param value true for gRPC
         * @return this builder
         */
        public Builder optGrpc(boolean value) {
            grpc = value;
            return this;
        }

        /**
         * Turns TLS off, as Flower's {@code --insecure}.
         *
         * @param value true for plaintext
         * @return this builder
         */
        public Builder optInsecure(boolean value) {
            options.optInsecure(value);
            return this;
        }

        /**
         * Sets the CA certificates that sign the SuperLink's certificate (PEM).
         *
         * @param pemFile the file
         * @return this builder
         */
        public Builder optRootCertificates(Path pemFile) {
            options.optRootCertificates(pemFile);
            return this;
        }

        /**
         * Sets the key file of the node's identity; created on first use (see {@link NodeIdentity}).
         * Without it, and without {@link #optIdentity}, each start uses a new key.
         *
         * @param file the key file
         * @return this builder
         */
        public Builder optKeyFile(Path file) {
            keyFile = file;
            return this;
        }

        /**
         * Sets the node's identity directly.
         *
         * @param value the identity
         * @return this builder
         */
        public Builder optIdentity(NodeIdentity value) {
            identity = value;
            return this;
        }

        /**
         * Uses a ready transport (which must sign with the identity given to {@link #optIdentity}); the node does
         * not close it.
         *
         * @param value the transport
         * @return this builder
         */
        public Builder optTransport(FleetTransport value) {
            transport = value;
            return this;
        }

        /**
         * Sets how long activation is retried while the SuperLink still counts this node's key as online (after a
         * node process with the same key was killed, the SuperLink waits two heartbeat intervals before it calls
         * that node offline). Default 5 minutes.
         *
         * @param value the longest wait
         * @return this builder
         */
        public Builder optActivationWait(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("activation wait must not be negative: " + value);
            }
            activationWait = value;
            return this;
        }

        /**
         * Sets the heartbeat interval announced to the SuperLink (10 s to 1800 s, default 30 s); heartbeats are
         * sent at about half of it.
         *
         * @param value the interval
         * @return this builder
         */
        public Builder optHeartbeatInterval(Duration value) {
            heartbeatInterval = value;
            return this;
        }

        /**
         * Sets the pause after an empty PullMessages (default 1 s; Flower's SuperNode uses 3 s).
         *
         * @param value the pause
         * @return this builder
         */
        public Builder optPollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        /**
         * Sets the backoff range used while the SuperLink is unreachable (default 0.5 s to 30 s).
         *
         * @param min the first delay
         * @param max the largest delay
         * @return this builder
         */
        public Builder optBackoff(Duration min, Duration max) {
            minBackoff = min;
            maxBackoff = max;
            return this;
        }

        /**
         * Sets the limits on received objects.
         *
         * @param value the limits
         * @return this builder
         */
        public Builder optLimits(ObjectLimits value) {
            limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /**
         * Sets the ArrayChunk size of replies (default 5 MiB, as Flower).
         *
         * @param bytes the size
         * @return this builder
         */
        public Builder optChunkSize(int bytes) {
            chunkSize = bytes;
            return this;
        }

        /**
         * Sets the node configuration handed to handlers in {@link Context#nodeConfig()}.
         *
         * @param value the configuration
         * @return this builder
         */
        public Builder optNodeConfig(Map<String, Object> value) {
            nodeConfig = Map.copyOf(value);
            return this;
        }

        /**
         * Registers a JVM shutdown hook (SIGTERM, SIGINT) that closes the node, so it deactivates on exit.
         *
         * @param value true to register it
         * @return this builder
         */
        public Builder optShutdownHook(boolean value) {
            shutdownHook = value;
            return this;
        }

        /**
         * Validates and builds the node (no network traffic yet).
         *
         * @return the node
         * @throws IllegalArgumentException naming the bad setting
         * @throws UncheckedIOException if the key file cannot be read or written
         */
        public SuperNode build() {
            if (app == null) {
                throw new IllegalArgumentException("a client app is required (setClientApp)");
            }
            if (transport == null && !superlinkSet) {
                throw new IllegalArgumentException("a SuperLink address is required (setSuperlink)");
            }
            if (transport != null && identity == null) {
                throw new IllegalArgumentException("optTransport needs the identity it signs with (optIdentity)");
            }
            long hb = heartbeatInterval.toSeconds();
            if (hb < 10 || hb > 1800) {
                throw new IllegalArgumentException("heartbeat interval must be 10 s to 1800 s (Flower's range), got "
                        + heartbeatInterval);
            }
            if (pollInterval.isNegative() || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("poll interval and backoff must be >= 0 with max >= min, got poll "
                        + pollInterval + ", backoff " + minBackoff + ".." + maxBackoff);
            }
            if (chunkSize <= 0) {
                throw new IllegalArgumentException("chunk size must be > 0, got " + chunkSize);
            }
            if (keyFile != null) {
                if (identity != null) {
                    throw new IllegalArgumentException("set either optKeyFile or optIdentity, not both");
                }
                try {
                    identity = NodeIdentity.loadOrCreate(keyFile);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read or create key file " + keyFile, e);
                }
            }
            if (transport == null) {
                options.build();
            }
            return new SuperNode(this);
        }
    }

    /** The SuperLink refused to register and activate the node: retrying cannot help. */
    static final class NodeRefusedException extends FleetException {
        private static final long serialVersionUID = 1L;

        NodeRefusedException(String message, FleetException cause) {
            super(message, Kind.REJECTED, cause.code(), cause);
        }
    }

    /** Returns a snapshot of the replies still waiting for delivery (for tests and monitoring). @return count */
    public int pendingReplies() {
        return outbox.size();
    }
}
