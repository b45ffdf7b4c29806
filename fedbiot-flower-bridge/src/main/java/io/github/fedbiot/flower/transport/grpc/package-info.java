/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The Fleet API over gRPC ({@code /flwr.proto.Fleet/<Rpc>}, "grpc-rere"): the default of flwr up to 1.39; the
 * flwr 1.42.0 SuperLink no longer serves it. Built on grpc-java.
 */
package io.github.fedbiot.flower.transport.grpc;
