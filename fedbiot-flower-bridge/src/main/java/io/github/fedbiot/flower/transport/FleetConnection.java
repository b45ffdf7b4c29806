/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.github.fedbiot.flower.proto.ActivateNodeRequest;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedRequest;
import io.github.fedbiot.flower.proto.DeactivateNodeRequest;
import io.github.fedbiot.flower.proto.Fab;
import io.github.fedbiot.flower.proto.GetFabRequest;
import io.github.fedbiot.flower.proto.GetRunRequest;
import io.github.fedbiot.flower.proto.Message;
import io.github.fedbiot.flower.proto.Node;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.proto.PullMessagesRequest;
import io.github.fedbiot.flower.proto.PullMessagesResponse;
import io.github.fedbiot.flower.proto.PullObjectRequest;
import io.github.fedbiot.flower.proto.PullObjectResponse;
import io.github.fedbiot.flower.proto.PushMessagesRequest;
import io.github.fedbiot.flower.proto.PushMessagesResponse;
import io.github.fedbiot.flower.proto.PushObjectRequest;
import io.github.fedbiot.flower.proto.RegisterNodeFleetRequest;
import io.github.fedbiot.flower.proto.Run;
import io.github.fedbiot.flower.proto.SendNodeHeartbeatRequest;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A node's view of the Fleet API: each call takes the node id and plain values and builds the request itself,
 * and reads what the node needs out of the response, as flwr's {@code fleet_http_connection.py} wraps
 * {@code FleetHttpClient}. The {@link FleetTransport} below stays one method per RPC; no layer above this class
 * builds a Fleet request.
 *
 * <p>Stateless and thread-safe; it does not own the transport and never closes it. Failures are the transport's
 * {@link FleetException}s, unchanged.
 */
public final class FleetConnection {
    private final FleetTransport transport;

    /**
     * Wraps a transport.
     *
     * @param transport the Fleet API; its owner closes it
     */
    public FleetConnection(FleetTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * One message of a PullMessages answer.
     *
     * @param message the message as the SuperLink sent it (metadata only: its content is in its objects)
     * @param tree its object tree, empty when the SuperLink sent none
     */
    public record Inbound(Message message, Optional<ObjectTree> tree) {}

    /**
     * A PullObject answer.
     *
     * @param found whether the SuperLink has the object at all
     * @param available whether its content has arrived (a ServerApp may still be pushing it)
     * @param content the content when available, else empty
     */
    public record PulledObject(boolean found, boolean available, byte[] content) {}

    /**
     * A PushMessages answer.
     *
     * @param sessionId the push session the object pushes belong to
     * @param objectsToPush the ids of the reply's objects the SuperLink still needs
     * @param resultIds the ids of the messages the SuperLink answered a result for
     */
    public record PushReceipt(String sessionId, Set<String> objectsToPush, Set<String> resultIds) {
        /** Copies the sets. */
        public PushReceipt {
            objectsToPush = Set.copyOf(objectsToPush);
            resultIds = Set.copyOf(resultIds);
        }
    }

    /** Returns the transport's endpoint, for logs. @return e.g. {@code http://127.0.0.1:9093} */
    public String endpoint() {
        return transport.endpoint();
    }

    /**
     * RegisterNode.
     *
     * @param publicKeyPem the node's public key
     */
    public void registerNode(byte[] publicKeyPem) {
        transport.registerNode(RegisterNodeFleetRequest.newBuilder().setPublicKey(ByteString.copyFrom(publicKeyPem))
                .build());
    }

    /**
     * ActivateNode.
     *
     * @param publicKeyPem the node's public key
     * @param heartbeatInterval the interval the node promises
     * @return the node id the SuperLink assigned
     */
    public long activateNode(byte[] publicKeyPem, Duration heartbeatInterval) {
        return transport.activateNode(ActivateNodeRequest.newBuilder().setPublicKey(ByteString.copyFrom(publicKeyPem))
                .setHeartbeatInterval(seconds(heartbeatInterval)).build()).getNodeId();
    }

    /**
     * DeactivateNode.
     *
     * @param nodeId the node
     */
    public void deactivateNode(long nodeId) {
        transport.deactivateNode(DeactivateNodeRequest.newBuilder().setNodeId(nodeId).build());
    }

    /**
     * UnregisterNode.
     *
     * @param nodeId the node
     */
    public void unregisterNode(long nodeId) {
        transport.unregisterNode(UnregisterNodeFleetRequest.newBuilder().setNodeId(nodeId).build());
    }

    /**
     * SendNodeHeartbeat.
     *
     * @param nodeId the node
     * @param interval the interval the node promises until its next heartbeat
     * @return false if the SuperLink does not know the node
     */
    public boolean sendNodeHeartbeat(long nodeId, Duration interval) {
        return transport.sendNodeHeartbeat(SendNodeHeartbeatRequest.newBuilder().setNode(node(nodeId))
                .setHeartbeatInterval(seconds(interval)).build()).getSuccess();
    }

    /**
     * PullMessages; like Flower's SuperNode, only the first message of the answer is taken.
     *
     * @param nodeId the node
     * @return the first message, or empty if there is none
     */
    public Optional<Inbound> pullMessage(long nodeId) {
        PullMessagesResponse res = transport.pullMessages(PullMessagesRequest.newBuilder().setNode(node(nodeId))
                .build());
        if (res.getMessagesListCount() == 0) {
            return Optional.empty();
        }
        Optional<ObjectTree> tree = res.getMessageObjectTreesCount() == 0 ? Optional.empty()
                : Optional.of(res.getMessageObjectTrees(0));
        return Optional.of(new Inbound(res.getMessagesList(0), tree));
    }

    /**
     * PullObject.
     *
     * @param nodeId the node
     * @param runId the run the object belongs to
     * @param objectId the object
     * @return what the SuperLink has of it
     */
    public PulledObject pullObject(long nodeId, long runId, String objectId) {
        PullObjectResponse r = transport.pullObject(PullObjectRequest.newBuilder().setNode(node(nodeId))
                .setRunId(runId).setObjectId(objectId).build());
        byte[] content = r.getObjectAvailable() ? r.getObjectContent().toByteArray() : new byte[0];
        return new PulledObject(r.getObjectFound(), r.getObjectAvailable(), content);
    }

    /**
     * ConfirmMessageReceived.
     *
     * @param nodeId the node
     * @param runId the message's run
     * @param messageId the message's object id
     */
    public void confirmMessageReceived(long nodeId, long runId, String messageId) {
        transport.confirmMessageReceived(ConfirmMessageReceivedRequest.newBuilder().setNode(node(nodeId))
                .setRunId(runId).setMessageObjectId(messageId).build());
    }

    /**
     * PushMessages with one reply.
     *
     * @param nodeId the node
     * @param message the reply as a message without content
     * @param tree the reply's object tree
     * @param clientAppRuntime the seconds the client app took, as Flower records it
     * @return which objects the SuperLink asks for
     */
    public PushReceipt pushMessage(long nodeId, Message message, ObjectTree tree, double clientAppRuntime) {
        PushMessagesResponse r = transport.pushMessages(PushMessagesRequest.newBuilder().setNode(node(nodeId))
                .addMessagesList(message).addMessageObjectTrees(tree).addClientappRuntimeList(clientAppRuntime)
                .build());
        return new PushReceipt(r.getSessionId(), Set.copyOf(r.getObjectsToPushList()), r.getResultsMap().keySet());
    }

    /**
     * PushObject.
     *
     * @param nodeId the node
     * @param runId the reply's run
     * @param sessionId the push session of {@link #pushMessage}
     * @param objectId the object
     * @param content its bytes, sent without a copy
     * @return whether the SuperLink stored it
     */
    public boolean pushObject(long nodeId, long runId, String sessionId, String objectId, byte[] content) {
        return transport.pushObject(PushObjectRequest.newBuilder().setNode(node(nodeId)).setRunId(runId)
                .setObjectId(objectId).setObjectContent(UnsafeByteOperations.unsafeWrap(content))
                .setSessionId(sessionId).build()).getStored();
    }

    /**
     * GetRun.
     *
     * @param nodeId the node
     * @param runId the run
     * @return the run (its FAB hash and config overrides)
     */
    public Run getRun(long nodeId, long runId) {
        return transport.getRun(GetRunRequest.newBuilder().setNode(node(nodeId)).setRunId(runId).build()).getRun();
    }

    /**
     * GetFab.
     *
     * @param nodeId the node
     * @param runId the run
     * @param fabHash the FAB's hash, as the run names it
     * @return the FAB
     */
    public Fab getFab(long nodeId, long runId, String fabHash) {
        return transport.getFab(GetFabRequest.newBuilder().setNode(node(nodeId)).setRunId(runId).setHashStr(fabHash)
                .build()).getFab();
    }

    private static Node node(long nodeId) {
        return Node.newBuilder().setNodeId(nodeId).build();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
