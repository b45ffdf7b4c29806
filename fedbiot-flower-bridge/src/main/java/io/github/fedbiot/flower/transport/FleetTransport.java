/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import io.github.fedbiot.flower.proto.ActivateNodeRequest;
import io.github.fedbiot.flower.proto.ActivateNodeResponse;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedRequest;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedResponse;
import io.github.fedbiot.flower.proto.DeactivateNodeRequest;
import io.github.fedbiot.flower.proto.DeactivateNodeResponse;
import io.github.fedbiot.flower.proto.GetFabRequest;
import io.github.fedbiot.flower.proto.GetFabResponse;
import io.github.fedbiot.flower.proto.GetRunRequest;
import io.github.fedbiot.flower.proto.GetRunResponse;
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
import io.github.fedbiot.flower.proto.SendNodeHeartbeatRequest;
import io.github.fedbiot.flower.proto.SendNodeHeartbeatResponse;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetRequest;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetResponse;

/**
 * The Fleet API of a Flower SuperLink (service {@code flwr.proto.Fleet}), one method per RPC. Every call is
 * signed with the node's {@link NodeIdentity}. Implementations are thread-safe (the heartbeat runs beside the
 * message loop) and throw only {@link FleetException}.
 */
public interface FleetTransport extends AutoCloseable {
    /** RegisterNode. @param request the request @return the response */
    RegisterNodeFleetResponse registerNode(RegisterNodeFleetRequest request);

    /** ActivateNode. @param request the request @return the response */
    ActivateNodeResponse activateNode(ActivateNodeRequest request);

    /** DeactivateNode. @param request the request @return the response */
    DeactivateNodeResponse deactivateNode(DeactivateNodeRequest request);

    /** UnregisterNode. @param request the request @return the response */
    UnregisterNodeFleetResponse unregisterNode(UnregisterNodeFleetRequest request);

    /** SendNodeHeartbeat. @param request the request @return the response */
    SendNodeHeartbeatResponse sendNodeHeartbeat(SendNodeHeartbeatRequest request);

    /** PullMessages. @param request the request @return the response */
    PullMessagesResponse pullMessages(PullMessagesRequest request);

    /** PushMessages. @param request the request @return the response */
    PushMessagesResponse pushMessages(PushMessagesRequest request);

    /** GetRun. @param request the request @return the response */
    GetRunResponse getRun(GetRunRequest request);

    /** GetFab. @param request the request @return the response */
    GetFabResponse getFab(GetFabRequest request);

    /** PushObject. @param request the request @return the response */
    PushObjectResponse pushObject(PushObjectRequest request);

    /** PullObject. @param request the request @return the response */
    PullObjectResponse pullObject(PullObjectRequest request);

    /** ConfirmMessageReceived. @param request the request @return the response */
    ConfirmMessageReceivedResponse confirmMessageReceived(ConfirmMessageReceivedRequest request);

    /** Returns a short description for logs, e.g. {@code http://127.0.0.1:9093}. @return the endpoint */
    String endpoint();

    /** Releases connections; in-flight calls may fail. */
    @Override
    void close();
}
