/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Opens the {@link FleetTransport} that {@link FleetClientOptions#protocol()} names, as flwr's
 * {@code _init_connection} picks a connection by transport name, so that nothing above this package chooses between
 * gRPC and HTTP. The providers ({@link FleetTransportProvider}) are looked up once.
 */
public final class FleetTransports {
    private FleetTransports() {}

    /** Class initialisation makes the one lookup thread-safe and lazy. */
    private static final class Providers {
        static final Map<FleetProtocol, FleetTransportProvider> BY_PROTOCOL = load();

        private static Map<FleetProtocol, FleetTransportProvider> load() {
            Map<FleetProtocol, FleetTransportProvider> m = new EnumMap<>(FleetProtocol.class);
            for (FleetTransportProvider p : ServiceLoader.load(FleetTransportProvider.class,
                    FleetTransports.class.getClassLoader())) {
                m.putIfAbsent(p.protocol(), p);
            }
            return Map.copyOf(m);
        }
    }

    /**
     * Opens a transport; neither kind talks to the SuperLink before its first call.
     *
     * @param options where the SuperLink is and which protocol it speaks
     * @param identity the key pair every call is signed with
     * @return the transport, which the caller closes
     * @throws IllegalArgumentException if the root certificates cannot be read
     * @throws IllegalStateException if no provider of the protocol is on the class path
     */
    public static FleetTransport connect(FleetClientOptions options, NodeIdentity identity) {
        FleetTransportProvider p = Providers.BY_PROTOCOL.get(options.protocol());
        if (p == null) {
            throw new IllegalStateException("no Fleet transport for " + options.protocol() + " on the class path "
                    + "(found " + Providers.BY_PROTOCOL.keySet() + "); is the fedbiot-flower-bridge jar complete?");
        }
        return p.create(options, identity);
    }
}
