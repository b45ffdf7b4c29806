/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The Java half of the FedBiOT Flower app (the Python half is {@code python/flower/fedbiot_app}): the Flower
 * message layout both halves share ({@link io.github.fedbiot.flower.fedbiotapp.FedBiOTRecords}), the client app a
 * SuperNode runs ({@link io.github.fedbiot.flower.fedbiotapp.client}) and the server side the ServerApp calls
 * ({@link io.github.fedbiot.flower.fedbiotapp.server}, served by
 * {@link io.github.fedbiot.flower.fedbiotapp.server.grpc}). The Python side only moves records and calls FedAvg;
 * all FedBiOT maths stays in Java.
 */
package io.github.fedbiot.flower.fedbiotapp;
