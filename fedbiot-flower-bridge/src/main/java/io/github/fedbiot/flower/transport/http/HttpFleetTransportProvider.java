/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport.http;

import io.github.fedbiot.flower.transport.FleetClientOptions;
import io.github.fedbiot.flower.transport.FleetProtocol;
import io.github.fedbiot.flower.transport.FleetTransport;
import io.github.fedbiot.flower.transport.FleetTransportProvider;
import io.github.fedbiot.flower.transport.NodeIdentity;

/** Provides {@link HttpFleetTransport} for {@link FleetProtocol#HTTP}; registered in {@code META-INF/services}. */
public final class HttpFleetTransportProvider implements FleetTransportProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public HttpFleetTransportProvider() {}

    @Override
    public FleetProtocol protocol() {
        return FleetProtocol.HTTP;
    }

    @Override
    public FleetTransport create(FleetClientOptions options, NodeIdentity identity) {
        return HttpFleetTransport.create(options, identity);
    }
}
