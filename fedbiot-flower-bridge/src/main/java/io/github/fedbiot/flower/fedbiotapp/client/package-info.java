/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The client side of FedBiOT over Flower: {@link io.github.fedbiot.flower.fedbiotapp.client.FedBiOTClientApp}, the
 * {@link io.github.fedbiot.flower.app.ClientApp} that runs a FedBiOT client round on a node's local data (Python
 * counterpart: {@code fedbiot_app/client_app.py}).
 */
package io.github.fedbiot.flower.fedbiotapp.client;
