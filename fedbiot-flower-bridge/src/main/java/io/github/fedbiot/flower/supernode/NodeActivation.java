/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.transport.FleetConnection;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.flower.transport.FlowerApiErrors;
import io.github.fedbiot.flower.transport.NodeIdentity;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a node online as Flower's SuperNode does: RegisterNode with its public key (a key the SuperLink already
 * knows is fine), then ActivateNode.
 *
 * <p>A SuperLink refuses to activate a key it still counts as online (flwr's {@code FLEET_NODE_ACTIVATION_FAILED},
 * code 2004, HTTP 412): after a node process with that key was killed, until the SuperLink has missed its
 * heartbeats for {@code HEARTBEAT_PATIENCE} (2) intervals. That passes by itself, so activation is retried with
 * backoff until {@code onlineWait} has passed; only then, or when the SuperLink does not know the key at all, is
 * the node refused for good.
 */
final class NodeActivation {
    private static final Logger logger = LoggerFactory.getLogger(NodeActivation.class);

    /** The node is online: its id and whether it registered its key itself (and so unregisters it on close). */
    record Activated(long nodeId, boolean selfRegistered) {}

    private final FleetConnection fleet;
    private final NodeIdentity identity;
    private final Duration heartbeatInterval;
    private final Duration onlineWait;
    private final Backoff backoff;
    private final Retrier retrier;

    /**
     * @param fleet the Fleet API
     * @param identity the node's key
     * @param heartbeatInterval the interval the node promises
     * @param onlineWait how long to keep retrying while the SuperLink counts the key as online
     * @param backoff the delays between those retries
     * @param retrier the node's sleeps and whether it still runs (a node being closed stops waiting)
     */
    NodeActivation(FleetConnection fleet, NodeIdentity identity, Duration heartbeatInterval, Duration onlineWait,
            Backoff backoff, Retrier retrier) {
        this.fleet = fleet;
        this.identity = identity;
        this.heartbeatInterval = heartbeatInterval;
        this.onlineWait = onlineWait;
        this.backoff = backoff;
        this.retrier = retrier;
    }

    /**
     * Registers and activates the node.
     *
     * @return the node's id
     * @throws FleetException if the SuperLink cannot be reached (retryable: the caller backs off)
     * @throws NodeRefusedException if the SuperLink refuses the node for good
     */
    Activated activate() {
        byte[] pk = identity.publicKeyPem();
        boolean selfRegistered = false;
        boolean keyKnown = true; // the SuperLink has this key: registered now or before
        try {
            fleet.registerNode(pk);
            selfRegistered = true;
        } catch (FleetException e) {
            if (e.retryable()) {
                throw e;
            }
            if (e.kind() != FleetException.Kind.ALREADY_REGISTERED) {
                keyKnown = false;
                logger.info("[node] RegisterNode refused ({}); trying ActivateNode with a pre-registered key",
                        e.getMessage());
            }
        }
        long start = System.nanoTime();
        backoff.reset();
        while (true) {
            try {
                long id = fleet.activateNode(pk, heartbeatInterval);
                return new Activated(id, selfRegistered);
            } catch (FleetException e) {
                if (e.retryable()) {
                    throw e;
                }
                if (!keyKnown || !activationFailed(e)) {
                    throw refused(e, keyKnown);
                }
                long waited = (System.nanoTime() - start) / 1_000_000;
                long delay = backoff.nextMillis();
                if (waited + delay > onlineWait.toMillis() || !retrier.running()) {
                    throw new NodeRefusedException("the SuperLink at " + fleet.endpoint()
                            + " still counted this node's key as online after " + waited / 1000 + " s (the limit is "
                            + onlineWait.toSeconds() + " s): another node process with the same key file is probably"
                            + " running; stop it, or give this node its own key file", e);
                }
                logger.warn("[node] the SuperLink still counts this node's key as online: a node process with the"
                        + " same key stopped without deactivating (killed?) and the SuperLink has not yet missed its"
                        + " heartbeats; retrying activation in {} ms (waited {} s of at most {} s)", delay,
                        waited / 1000, onlineWait.toSeconds());
                retrier.sleep(delay);
            }
        }
    }

    /**
     * Whether the SuperLink refused activation with {@code FLEET_NODE_ACTIVATION_FAILED}. Its public message is the
     * same for an unknown key and for a node still online; for a key it is known to have (it was just registered or
     * already was), the node still online is the only cause.
     */
    private static boolean activationFailed(FleetException e) {
        return e.code().equals(String.valueOf(FlowerApiErrors.FLEET_NODE_ACTIVATION_FAILED));
    }

    private NodeRefusedException refused(FleetException e, boolean keyKnown) {
        String m = e.getMessage().toLowerCase(Locale.ROOT);
        String hint = !keyKnown && activationFailed(e)
                ? " (the SuperLink did not let this node register its key, so it must know it beforehand: with"
                        + " --enable-supernode-auth, register it with `flwr supernode register`; if it is registered,"
                        + " a node with the same key may still be online)"
                : m.contains("signature") || m.contains("timestamp")
                        ? " (a signature or timestamp the SuperLink finds invalid: check this machine's clock)"
                        : "";
        return new NodeRefusedException("the SuperLink at " + fleet.endpoint()
                + " refused to activate this node" + hint + ": " + e.getMessage(), e);
    }
}
