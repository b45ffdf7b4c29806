/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import io.github.fedbiot.flower.transport.grpc.GrpcFleetTransport;
import io.github.fedbiot.flower.transport.http.HttpFleetTransport;

/**
 * Opens the {@link FleetTransport} that {@link FleetClientOptions#protocol()} names, as flwr's
 * {@code _init_connection} picks a connection by transport name, so that nothing above this package chooses between
 * gRPC and HTTP.
 */
public final class FleetTransports {
    private FleetTransports() {}

    /**
     * Opens a transport; neither kind talks to the SuperLink before its first call.
     *
     * @param options where the SuperLink is and which protocol it speaks
     * @param identity the key pair every call is signed with
     * @return the transport, which the caller closes
     * @throws IllegalArgumentException if the root certificates cannot be read
     */
    public static FleetTransport connect(FleetClientOptions options, NodeIdentity identity) {
        return switch (options.protocol()) {
            case GRPC -> GrpcFleetTransport.create(options, identity);
            case HTTP -> HttpFleetTransport.create(options, identity);
        };
    }
}
