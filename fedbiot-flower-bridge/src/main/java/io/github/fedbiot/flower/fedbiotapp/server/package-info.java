/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The server side of FedBiOT over Flower, without a transport:
 * {@link io.github.fedbiot.flower.fedbiotapp.server.AlignerSession} holds one run's state (full model, public
 * data, emulator LoRA) and enforces the order in which the ServerApp calls it, validating each aggregate it is
 * handed; {@link io.github.fedbiot.flower.fedbiotapp.server.AlignerOutput} writes the final LoRA.
 */
package io.github.fedbiot.flower.fedbiotapp.server;
