/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits only calls whose {@code authorization} metadata is {@code Bearer <token>} with the aligner's token; any
 * other call is closed with {@code UNAUTHENTICATED} before the service sees its request. Neither the status nor
 * the log shows what the caller sent.
 */
final class TokenAuthInterceptor implements ServerInterceptor {
    /** The metadata key, as gRPC's {@code access_token_call_credentials} and HTTP use it. */
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";
    private static final Logger logger = LoggerFactory.getLogger(TokenAuthInterceptor.class);

    private final BearerToken token;

    TokenAuthInterceptor(BearerToken token) {
        this.token = token;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String presented = headers.get(AUTHORIZATION);
        if (presented != null && presented.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && token.matches(presented.substring(SCHEME.length()))) {
            return next.startCall(call, headers);
        }
        String why = presented == null ? "no 'authorization' metadata"
                : presented.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) ? "a wrong bearer token"
                        : "'authorization' metadata that is not 'Bearer <token>'";
        logger.warn("refused {} from {}: {}", call.getMethodDescriptor().getBareMethodName(),
                call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), why);
        call.close(Status.UNAUTHENTICATED.withDescription("the aligner refused the call: " + why
                + " (the ServerApp's aligner-token-file must hold the aligner's --token-file token)"), new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
