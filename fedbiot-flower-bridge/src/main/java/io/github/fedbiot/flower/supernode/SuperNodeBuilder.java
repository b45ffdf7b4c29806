/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.serde.ObjectLimits;
import io.github.fedbiot.flower.transport.FleetClientOptions;
import io.github.fedbiot.flower.transport.FleetProtocol;
import io.github.fedbiot.flower.transport.FleetTransport;
import io.github.fedbiot.flower.transport.FleetTransports;
import io.github.fedbiot.flower.transport.NodeIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link SuperNode}, from {@link SuperNode#builder()}: a SuperLink address (or a transport) and a client
 * app are required, everything else has Flower's defaults. The builder validates in {@link #build()}, picks the
 * transport for the address through {@link FleetTransports}, and hands the node its settings as one immutable
 * record.
 */
public final class SuperNodeBuilder {
    private final FleetClientOptions.Builder options = FleetClientOptions.builder();
    private boolean superlinkSet;
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

    SuperNodeBuilder() {}

    /**
     * Sets the SuperLink's Fleet address ({@code host:port} or {@code http(s)://host:port}).
     *
     * @param address the address
     * @return this builder
     */
    public SuperNodeBuilder setSuperlink(String address) {
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
    public SuperNodeBuilder setClientApp(ClientApp clientApp) {
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
    public SuperNodeBuilder optGrpc(boolean value) {
        options.optProtocol(value ? FleetProtocol.GRPC : FleetProtocol.HTTP);
        return this;
    }

    /**
     * Turns TLS off, as Flower's {@code --insecure}.
     *
     * @param value true for plaintext
     * @return this builder
     */
    public SuperNodeBuilder optInsecure(boolean value) {
        options.optInsecure(value);
        return this;
    }

    /**
     * Sets the CA certificates that sign the SuperLink's certificate (PEM).
     *
     * @param pemFile the file
     * @return this builder
     */
    public SuperNodeBuilder optRootCertificates(Path pemFile) {
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
    public SuperNodeBuilder optKeyFile(Path file) {
        keyFile = file;
        return this;
    }

    /**
     * Sets the node's identity directly.
     *
     * @param value the identity
     * @return this builder
     */
    public SuperNodeBuilder optIdentity(NodeIdentity value) {
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
    public SuperNodeBuilder optTransport(FleetTransport value) {
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
    public SuperNodeBuilder optActivationWait(Duration value) {
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
    public SuperNodeBuilder optHeartbeatInterval(Duration value) {
        heartbeatInterval = value;
        return this;
    }

    /**
     * Sets the pause after an empty PullMessages (default 1 s; Flower's SuperNode uses 3 s).
     *
     * @param value the pause
     * @return this builder
     */
    public SuperNodeBuilder optPollInterval(Duration value) {
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
    public SuperNodeBuilder optBackoff(Duration min, Duration max) {
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
    public SuperNodeBuilder optLimits(ObjectLimits value) {
        limits = Objects.requireNonNull(value, "limits");
        return this;
    }

    /**
     * Sets the ArrayChunk size of replies (default 5 MiB, as Flower).
     *
     * @param bytes the size
     * @return this builder
     */
    public SuperNodeBuilder optChunkSize(int bytes) {
        chunkSize = bytes;
        return this;
    }

    /**
     * Sets the node configuration handed to handlers in {@link Context#nodeConfig()}.
     *
     * @param value the configuration
     * @return this builder
     */
    public SuperNodeBuilder optNodeConfig(Map<String, Object> value) {
        nodeConfig = Map.copyOf(value);
        return this;
    }

    /**
     * Registers a JVM shutdown hook (SIGTERM, SIGINT) that closes the node, so it deactivates on exit.
     *
     * @param value true to register it
     * @return this builder
     */
    public SuperNodeBuilder optShutdownHook(boolean value) {
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
        SuperNodeConfig config = new SuperNodeConfig(heartbeatInterval, pollInterval, minBackoff, maxBackoff,
                activationWait, limits, chunkSize, nodeConfig, shutdownHook);
        NodeIdentity id = identity;
        if (keyFile != null) {
            if (id != null) {
                throw new IllegalArgumentException("set either optKeyFile or optIdentity, not both");
            }
            try {
                id = NodeIdentity.loadOrCreate(keyFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or create key file " + keyFile, e);
            }
        }
        if (transport != null) {
            return new SuperNode(config, app, id, transport, false);
        }
        FleetClientOptions opts = options.build();
        if (id == null) {
            id = NodeIdentity.generate();
        }
        return new SuperNode(config, app, id, FleetTransports.connect(opts, id), true);
    }
}
