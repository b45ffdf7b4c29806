/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

/**
 * The wire a node speaks to the SuperLink's Fleet API, as Flower's {@code --transport} names it. Flower moved from
 * gRPC to protobuf-over-HTTP in 1.40 and 1.42.0 no longer serves gRPC, so both stay: a node must reach whichever
 * SuperLink version runs the federation.
 */
public enum FleetProtocol {
    /** Protobuf over HTTP ({@code POST /v1/fleet/<rpc>}), flwr 1.40 and later; the default. */
    HTTP,
    /** The gRPC request-response Fleet service ({@code flwr.proto.Fleet}), flwr up to 1.39. */
    GRPC
}
