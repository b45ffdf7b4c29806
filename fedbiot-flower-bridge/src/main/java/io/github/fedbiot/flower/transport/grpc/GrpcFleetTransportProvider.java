/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport.grpc;

import io.github.fedbiot.flower.transport.FleetClientOptions;
import io.github.fedbiot.flower.transport.FleetProtocol;
import io.github.fedbiot.flower.transport.FleetTransport;
import io.github.fedbiot.flower.transport.FleetTransportProvider;
import io.github.fedbiot.flower.transport.NodeIdentity;

/** Provides {@link GrpcFleetTransport} for {@link FleetProtocol#GRPC}; registered in {@code META-INF/services}. */
public final class GrpcFleetTransportProvider implements FleetTransportProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public GrpcFleetTransportProvider() {}

    @Override
    public FleetProtocol protocol() {
        return FleetProtocol.GRPC;
    }

    @Override
    public FleetTransport create(FleetClientOptions options, NodeIdentity identity) {
        return GrpcFleetTransport.create(options, identity);
    }
}
