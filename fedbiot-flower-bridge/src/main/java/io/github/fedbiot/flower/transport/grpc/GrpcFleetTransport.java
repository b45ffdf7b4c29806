/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport.grpc;

import io.github.fedbiot.flower.proto.ActivateNodeRequest;
import io.github.fedbiot.flower.proto.ActivateNodeResponse;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedRequest;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedResponse;
import io.github.fedbiot.flower.proto.DeactivateNodeRequest;
import io.github.fedbiot.flower.proto.DeactivateNodeResponse;
import io.github.fedbiot.flower.proto.FleetGrpc;
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
import io.github.fedbiot.flower.transport.FleetClientOptions;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.flower.transport.FleetTransport;
import io.github.fedbiot.flower.transport.FlowerApiErrors;
import io.github.fedbiot.flower.transport.NodeIdentity;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link FleetTransport} over Flower's gRPC Fleet service ({@code flwr.proto.Fleet}, flwr up to 1.39 by default
 * on port 9092). Calls carry the node's signature through {@link NodeAuthClientInterceptor}.
 */
public final class GrpcFleetTransport implements FleetTransport {
    private final ManagedChannel channel;
    private final FleetGrpc.FleetBlockingStub stub;
    private final FleetClientOptions options;

    private GrpcFleetTransport(ManagedChannel channel, FleetClientOptions options, NodeIdentity identity) {
        this.channel = channel;
        this.options = options;
        this.stub = FleetGrpc.newBlockingStub(channel).withInterceptors(new NodeAuthClientInterceptor(identity))
                .withMaxInboundMessageSize(options.maxMessageBytes())
                .withMaxOutboundMessageSize(options.maxMessageBytes());
    }

    /**
     * Creates a transport; the channel connects lazily and reconnects by itself.
     *
     * @param options where the SuperLink is
     * @param identity the node's key pair
     * @return the transport
     * @throws IllegalArgumentException if the root certificates cannot be read
     */
    public static GrpcFleetTransport create(FleetClientOptions options, NodeIdentity identity) {
        ChannelCredentials creds;
        if (options.insecure()) {
            creds = InsecureChannelCredentials.create();
        } else if (options.rootCertificates().isPresent()) {
            try {
                creds = TlsChannelCredentials.newBuilder().trustManager(options.rootCertificates().get().toFile())
                        .build();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read root certificates " + options.rootCertificates().get()
                        + ": " + e.getMessage(), e);
            }
        } else {
            creds = TlsChannelCredentials.create();
        }
        ManagedChannel ch = Grpc.newChannelBuilderForAddress(options.host(), options.port(), creds)
                .maxInboundMessageSize(options.maxMessageBytes())
                .build();
        return new GrpcFleetTransport(ch, options, identity);
    }

    private <Q, R> R call(String rpc, Q request, Function<FleetGrpc.FleetBlockingStub, Function<Q, R>> method) {
        FleetGrpc.FleetBlockingStub s = stub.withDeadlineAfter(options.rpcDeadline().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return method.apply(s).apply(request);
        } catch (StatusRuntimeException e) {
            Status st = e.getStatus();
            FlowerApiErrors.ApiError err = FlowerApiErrors.parse(st.getDescription());
            FleetException.Kind kind = switch (st.getCode()) {
                case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> FleetException.Kind.UNAVAILABLE;
                case UNAUTHENTICATED -> FleetException.Kind.UNAUTHENTICATED;
                case PERMISSION_DENIED -> FlowerApiErrors.kindOf(err.code(), FleetException.Kind.RUN_NOT_RUNNING);
                default -> FlowerApiErrors.kindOf(err.code(), FleetException.Kind.REJECTED);
            };
            throw new FleetException(rpc + " failed: " + st.getCode() + ": " + err.detail(), kind,
                    err.code() >= 0 ? String.valueOf(err.code()) : st.getCode().name(), e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public RegisterNodeFleetResponse registerNode(RegisterNodeFleetRequest request) {
        return call("RegisterNode", request, s -> s::registerNode);
    }

    /** {@inheritDoc} */
    @Override
    public ActivateNodeResponse activateNode(ActivateNodeRequest request) {
        return call("ActivateNode", request, s -> s::activateNode);
    }

    /** {@inheritDoc} */
    @Override
    public DeactivateNodeResponse deactivateNode(DeactivateNodeRequest request) {
        return call("DeactivateNode", request, s -> s::deactivateNode);
    }

    /** {@inheritDoc} */
    @Override
    public UnregisterNodeFleetResponse unregisterNode(UnregisterNodeFleetRequest request) {
        return call("UnregisterNode", request, s -> s::unregisterNode);
    }

    /** {@inheritDoc} */
    @Override
    public SendNodeHeartbeatResponse sendNodeHeartbeat(SendNodeHeartbeatRequest request) {
        return call("SendNodeHeartbeat", request, s -> s::sendNodeHeartbeat);
    }

    /** {@inheritDoc} */
    @Override
    public PullMessagesResponse pullMessages(PullMessagesRequest request) {
        return call("PullMessages", request, s -> s::pullMessages);
    }

    /** {@inheritDoc} */
    @Override
    public PushMessagesResponse pushMessages(PushMessagesRequest request) {
        return call("PushMessages", request, s -> s::pushMessages);
    }

    /** {@inheritDoc} */
    @Override
    public GetRunResponse getRun(GetRunRequest request) {
        return call("GetRun", request, s -> s::getRun);
    }

    /** {@inheritDoc} */
    @Override
    public GetFabResponse getFab(GetFabRequest request) {
        return call("GetFab", request, s -> s::getFab);
    }

    /** {@inheritDoc} */
    @Override
    public PushObjectResponse pushObject(PushObjectRequest request) {
        return call("PushObject", request, s -> s::pushObject);
    }

    /** {@inheritDoc} */
    @Override
    public PullObjectResponse pullObject(PullObjectRequest request) {
        return call("PullObject", request, s -> s::pullObject);
    }

    /** {@inheritDoc} */
    @Override
    public ConfirmMessageReceivedResponse confirmMessageReceived(ConfirmMessageReceivedRequest request) {
        return call("ConfirmMessageReceived", request, s -> s::confirmMessageReceived);
    }

    /** {@inheritDoc} */
    @Override
    public String endpoint() {
        return (options.insecure() ? "grpc://" : "grpcs://") + options.host() + ":" + options.port();
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
