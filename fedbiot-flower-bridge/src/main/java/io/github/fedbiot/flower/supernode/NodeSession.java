/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.transport.FleetConnection;
import io.github.fedbiot.flower.transport.FleetException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's session with the SuperLink, the part of flwr's connection context that outlives single calls:
 * registration and activation ({@link NodeActivation}), the heartbeat ({@link HeartbeatSender}), and on close
 * DeactivateNode and, for a key the node registered itself, UnregisterNode. The loop and the heartbeat both mark
 * the session lost when the SuperLink no longer knows the node; the loop then connects again.
 */
final class NodeSession {
    private static final Logger logger = LoggerFactory.getLogger(NodeSession.class);

    private final FleetConnection fleet;
    private final NodeActivation activation;
    private final Duration heartbeatInterval;
    private final Retrier retrier;
    private final NodeRef self;
    private final HeartbeatSender heartbeat;
    private volatile boolean connected;
    private volatile boolean selfRegistered;

    /**
     * @param fleet the Fleet API
     * @param activation registers and activates the node, each time the session connects
     * @param heartbeatInterval the interval the node promises
     * @param retrier whether the node still runs
     * @param self the node's id, set here on each activation
     */
    NodeSession(FleetConnection fleet, NodeActivation activation, Duration heartbeatInterval, Retrier retrier,
            NodeRef self) {
        this.fleet = fleet;
        this.activation = activation;
        this.heartbeatInterval = heartbeatInterval;
        this.retrier = retrier;
        this.self = self;
        this.heartbeat = new HeartbeatSender(heartbeatInterval, retrier::running, this::beat, self);
    }

    /** Returns whether the node is registered and activated right now. */
    boolean isConnected() {
        return connected;
    }

    /** Records that the SuperLink no longer knows the node, so that the loop registers again. */
    void markLost() {
        connected = false;
    }

    /**
     * Registers and activates the node, keeping the new id.
     *
     * @throws FleetException if the SuperLink cannot be reached (retryable)
     * @throws NodeRefusedException if the SuperLink refuses the node for good
     */
    void connect() {
        long previous = self.value();
        NodeActivation.Activated a = activation.activate();
        self.set(a.nodeId());
        selfRegistered = a.selfRegistered();
        connected = true;
        if (previous != 0 && previous != a.nodeId()) {
            logger.info("[node {}] activated at {} (the SuperLink had forgotten node {}: registered again)", self.id(),
                    fleet.endpoint(), Long.toUnsignedString(previous));
        } else {
            logger.info("[node {}] activated at {}", self.id(), fleet.endpoint());
        }
    }

    /** Starts the heartbeat; it beats only while the session is connected. */
    void startHeartbeat() {
        heartbeat.start();
    }

    /** Stops the heartbeat. */
    void stopHeartbeat() {
        heartbeat.stop();
    }

    /** Stops the heartbeat, and deactivates and unregisters the node if it is connected. */
    void close() {
        heartbeat.stop();
        if (!connected) {
            return;
        }
        connected = false;
        try {
            fleet.deactivateNode(self.value());
            if (selfRegistered) {
                fleet.unregisterNode(self.value());
            }
            logger.info("[node {}] deactivated", self.id());
        } catch (FleetException e) {
            logger.warn("[node {}] could not deactivate: {}", self.id(), e.getMessage());
        }
    }

    private boolean beat() {
        try {
            if (connected && retrier.running() && !fleet.sendNodeHeartbeat(self.value(), heartbeatInterval)) {
                logger.warn("[node {}] heartbeat refused: the SuperLink does not know this node", self.id());
                connected = false;
            }
            return true;
        } catch (FleetException e) {
            if (e.kind() == FleetException.Kind.UNAUTHENTICATED) {
                connected = false;
            }
            logger.warn("[node {}] heartbeat failed: {}", self.id(), e.getMessage());
            return false;
        }
    }
}
