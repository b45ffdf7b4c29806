/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import com.google.protobuf.ByteString;
import io.github.fedbiot.flower.proto.ActivateNodeRequest;
import io.github.fedbiot.flower.proto.ActivateNodeResponse;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedRequest;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedResponse;
import io.github.fedbiot.flower.proto.DeactivateNodeRequest;
import io.github.fedbiot.flower.proto.DeactivateNodeResponse;
import io.github.fedbiot.flower.proto.Fab;
import io.github.fedbiot.flower.proto.GetFabRequest;
import io.github.fedbiot.flower.proto.GetFabResponse;
import io.github.fedbiot.flower.proto.GetRunRequest;
import io.github.fedbiot.flower.proto.GetRunResponse;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.proto.PullMessagesRequest;
import io.github.fedbiot.flower.proto.PullMessagesResponse;
import io.github.fedbiot.flower.proto.PullObjectRequest;
import io.github.fedbiot.flower.proto.PullObjectResponse;
import io.github.fedbiot.flower.proto.PushMessagesRequest;
import io.github.fedbiot.flower.proto.PushMessagesResponse;
import io.github.fedbiot.flower.proto.PushObjectRequest;
import io.github.fedbiot.flower.proto.PushObjectResponse;
import io.github.fedbiot.flower.proto.RegisterNodeFleetRequest;
import io.github.fedbiot.flower.proto.RegisterNodeFleetResponse;
import io.github.fedbiot.flower.proto.Run;
import io.github.fedbiot.flower.proto.SendNodeHeartbeatRequest;
import io.github.fedbiot.flower.proto.SendNodeHeartbeatResponse;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetRequest;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetResponse;
import io.github.fedbiot.flower.serde.DeflatedMessage;
import io.github.fedbiot.flower.serde.FlowerObjects;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.flower.transport.FleetTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A SuperLink's Fleet API in memory, for unit tests of the node: it hands out queued instructions with their
 * objects, asks for every object of a pushed reply, stores what is pushed, serves one FAB, records every request
 * in order, and fails a named RPC on demand.
 */
final class InMemoryFleetTransport implements FleetTransport {
    /** The session id every PushMessages answer gives. */
    static final String SESSION_ID = "session-1";

    private final long nodeId;
    private final byte[] fab;
    private final List<Object> requests = new ArrayList<>();
    private final ArrayDeque<PullMessagesResponse> inbox = new ArrayDeque<>();
    private final Map<String, byte[]> objects = new HashMap<>();
    private final Map<String, ArrayDeque<FleetException>> failures = new HashMap<>();
    private final Map<String, byte[]> pushed = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param nodeId the id ActivateNode assigns
     * @param pyprojectToml the {@code pyproject.toml} of the FAB every run uses
     */
    InMemoryFleetTransport(long nodeId, String pyprojectToml) {
        this.nodeId = nodeId;
        this.fab = zip("pyproject.toml", pyprojectToml);
    }

    /** Queues an instruction for PullMessages and makes its objects available to PullObject. */
    synchronized void offer(DeflatedMessage instruction) {
        inbox.add(PullMessagesResponse.newBuilder().addMessagesList(instruction.pushProto())
                .addMessageObjectTrees(instruction.tree()).build());
        objects.putAll(instruction.objects());
    }

    /** Makes the next call of an RPC (its Flower name, e.g. {@code PullObject}) throw the failure. */
    synchronized void failNext(String rpc, FleetException failure) {
        failures.computeIfAbsent(rpc, k -> new ArrayDeque<>()).add(failure);
    }

    /** Returns every request received so far, in order. */
    synchronized List<Object> requests() {
        return List.copyOf(requests);
    }

    /** Returns the requests of one type, in order. */
    synchronized <T> List<T> requests(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Returns the objects pushed so far, by id. */
    synchronized Map<String, byte[]> pushedObjects() {
        return Map.copyOf(pushed);
    }

    /** Returns the hash the run names its FAB by. */
    String fabHash() {
        return FlowerObjects.objectId(fab);
    }

    /** Returns whether the node closed the transport. */
    synchronized boolean isClosed() {
        return closed;
    }

    private void receive(String rpc, Object request) {
        requests.add(request);
        ArrayDeque<FleetException> f = failures.get(rpc);
        if (f != null && !f.isEmpty()) {
            throw f.poll();
        }
    }

    @Override
    public synchronized RegisterNodeFleetResponse registerNode(RegisterNodeFleetRequest request) {
        receive("RegisterNode", request);
        return RegisterNodeFleetResponse.getDefaultInstance();
    }

    @Override
    public synchronized ActivateNodeResponse activateNode(ActivateNodeRequest request) {
        receive("ActivateNode", request);
        return ActivateNodeResponse.newBuilder().setNodeId(nodeId).build();
    }

    @Override
    public synchronized DeactivateNodeResponse deactivateNode(DeactivateNodeRequest request) {
        receive("DeactivateNode", request);
        return DeactivateNodeResponse.getDefaultInstance();
    }

    @Override
    public synchronized UnregisterNodeFleetResponse unregisterNode(UnregisterNodeFleetRequest request) {
        receive("UnregisterNode", request);
        return UnregisterNodeFleetResponse.getDefaultInstance();
    }

    @Override
    public synchronized SendNodeHeartbeatResponse sendNodeHeartbeat(SendNodeHeartbeatRequest request) {
        receive("SendNodeHeartbeat", request);
        return SendNodeHeartbeatResponse.newBuilder().setSuccess(true).build();
    }

    @Override
    public synchronized PullMessagesResponse pullMessages(PullMessagesRequest request) {
        receive("PullMessages", request);
        PullMessagesResponse next = inbox.poll();
        return next != null ? next : PullMessagesResponse.getDefaultInstance();
    }

    @Override
    public synchronized PushMessagesResponse pushMessages(PushMessagesRequest request) {
        receive("PushMessages", request);
        PushMessagesResponse.Builder r = PushMessagesResponse.newBuilder().setSessionId(SESSION_ID);
        for (ObjectTree tree : request.getMessageObjectTreesList()) {
            r.addAllObjectsToPush(MessageSerde.postOrderIds(tree));
        }
        return r.build();
    }

    @Override
    public synchronized GetRunResponse getRun(GetRunRequest request) {
        receive("GetRun", request);
        return GetRunResponse.newBuilder().setRun(Run.newBuilder().setRunId(request.getRunId())
                .setFabHash(fabHash())).build();
    }

    @Override
    public synchronized GetFabResponse getFab(GetFabRequest request) {
        receive("GetFab", request);
        return GetFabResponse.newBuilder().setFab(Fab.newBuilder().setHashStr(fabHash())
                .setContent(ByteString.copyFrom(fab))).build();
    }

    @Override
    public synchronized PushObjectResponse pushObject(PushObjectRequest request) {
        receive("PushObject", request);
        pushed.put(request.getObjectId(), request.getObjectContent().toByteArray());
        return PushObjectResponse.newBuilder().setStored(true).build();
    }

    @Override
    public synchronized PullObjectResponse pullObject(PullObjectRequest request) {
        receive("PullObject", request);
        byte[] content = objects.get(request.getObjectId());
        if (content == null) {
            return PullObjectResponse.getDefaultInstance();
        }
        return PullObjectResponse.newBuilder().setObjectFound(true).setObjectAvailable(true)
                .setObjectContent(ByteString.copyFrom(content)).build();
    }

    @Override
    public synchronized ConfirmMessageReceivedResponse confirmMessageReceived(ConfirmMessageReceivedRequest request) {
        receive("ConfirmMessageReceived", request);
        return ConfirmMessageReceivedResponse.getDefaultInstance();
    }

    @Override
    public String endpoint() {
        return "memory://superlink";
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private static byte[] zip(String name, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(text.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
