/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The aligner's gRPC transport ({@code fedbiot.aligner.v1.EmulatorAligner}, {@code src/main/proto/fedbiot/
 * aligner.proto}; Python client {@code fedbiot_app/aligner.py}): the server
 * ({@link io.github.fedbiot.flower.fedbiotapp.server.grpc.EmulatorAligner}), the methods mapped onto an
 * {@link io.github.fedbiot.flower.fedbiotapp.server.AlignerSession}, the tensor encoding
 * ({@link io.github.fedbiot.flower.fedbiotapp.server.grpc.TensorSets}) and the API's protection (TLS and client
 * authentication, {@link io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity}; the ServerApp's token,
 * {@link io.github.fedbiot.flower.fedbiotapp.server.grpc.BearerToken}). The only package of the FedBiOT app that
 * uses gRPC types.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;
