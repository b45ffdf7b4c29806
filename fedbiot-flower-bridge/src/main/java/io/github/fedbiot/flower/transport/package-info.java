/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The Fleet API as a Java interface ({@link io.github.fedbiot.flower.transport.FleetTransport}), the node's
 * signing identity ({@link io.github.fedbiot.flower.transport.NodeIdentity}) and connection options. Only
 * {@code transport.grpc} and {@code transport.http} know about gRPC or HTTP.
 */
package io.github.fedbiot.flower.transport;
