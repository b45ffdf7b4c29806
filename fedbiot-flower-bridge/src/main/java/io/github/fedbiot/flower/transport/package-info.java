/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The Fleet API as a Java interface ({@link io.github.fedbiot.flower.transport.FleetTransport}, one method per
 * RPC), the node's view of it in plain values ({@link io.github.fedbiot.flower.transport.FleetConnection}, which
 * builds every request), the factory that picks gRPC or HTTP
 * ({@link io.github.fedbiot.flower.transport.FleetTransports}), the node's signing identity
 * ({@link io.github.fedbiot.flower.transport.NodeIdentity}) and connection options. Only {@code transport.grpc} and
 * {@code transport.http} know about gRPC or HTTP.
 */
package io.github.fedbiot.flower.transport;
