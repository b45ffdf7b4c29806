/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport.grpc;

import io.github.fedbiot.flower.transport.NodeIdentity;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Instant;

/**
 * Adds the node's public key, a fresh timestamp and its signature to every call, as flwr's
 * {@code NodeAuthClientInterceptor}: metadata {@code flwr-public-key-bin}, {@code flwr-timestamp},
 * {@code flwr-signature-bin}.
 */
public final class NodeAuthClientInterceptor implements ClientInterceptor {
    static final Metadata.Key<byte[]> PUBLIC_KEY =
            Metadata.Key.of(NodeIdentity.PUBLIC_KEY_HEADER, Metadata.BINARY_BYTE_MARSHALLER);
    static final Metadata.Key<String> TIMESTAMP =
            Metadata.Key.of(NodeIdentity.TIMESTAMP_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<byte[]> SIGNATURE =
            Metadata.Key.of(NodeIdentity.SIGNATURE_HEADER, Metadata.BINARY_BYTE_MARSHALLER);

    private final NodeIdentity identity;
    private final byte[] publicKeyPem;

    /**
     * Creates the interceptor.
     *
     * @param identity the node's key pair
     */
    public NodeAuthClientInterceptor(NodeIdentity identity) {
        this.identity = identity;
        this.publicKeyPem = identity.publicKeyPem();
    }

    /** {@inheritDoc} */
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, callOptions)) {
            @Override
            public void start(Listener<RespT> responseListener, Metadata headers) {
                NodeIdentity.SignedTimestamp st = identity.signTimestamp(Instant.now());
                headers.put(PUBLIC_KEY, publicKeyPem);
                headers.put(TIMESTAMP, st.timestamp());
                headers.put(SIGNATURE, st.signature());
                super.start(responseListener, headers);
            }
        };
    }
}
