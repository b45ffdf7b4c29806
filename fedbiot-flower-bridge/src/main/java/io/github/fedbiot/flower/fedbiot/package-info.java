/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * FedBiOT over Flower: the Java {@link io.github.fedbiot.flower.app.ClientApp} that runs a FedBiOT client round
 * ({@link io.github.fedbiot.flower.fedbiot.FedBiOTClientApp}), the emulator aligner gRPC service a Flower
 * ServerApp calls for the server side of FedBiOT ({@link io.github.fedbiot.flower.fedbiot.EmulatorAligner}),
 * and the conversion of {@link io.github.fedbiot.algorithm.RoundMessage} / {@link
 * io.github.fedbiot.algorithm.ClientUpdate} to and from Flower records
 * ({@link io.github.fedbiot.flower.fedbiot.FedBiOTRecords}). The Python side
 * ({@code python/flower/fedbiot_app}) only moves records and calls FedAvg; all FedBiOT maths stays in Java.
 */
package io.github.fedbiot.flower.fedbiot;
