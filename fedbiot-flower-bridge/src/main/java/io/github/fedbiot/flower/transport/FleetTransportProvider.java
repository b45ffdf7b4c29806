/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

/**
 * Makes the transport of one {@link FleetProtocol}. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services}), as DJL finds its engines, so that {@link FleetTransports} picks a wire without the
 * transport package depending on the packages that implement it.
 */
public interface FleetTransportProvider {
    /** Returns the protocol this provider speaks. @return the protocol */
    FleetProtocol protocol();

    /**
     * Opens a transport; it does not talk to the SuperLink before its first call.
     *
     * @param options where the SuperLink is
     * @param identity the key pair every call is signed with
     * @return the transport, which the caller closes
     */
    FleetTransport create(FleetClientOptions options, NodeIdentity identity);
}
