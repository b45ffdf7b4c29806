/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * What a user implements to take part in a Flower federation from Java, without knowing the protocol: a
 * {@link io.github.fedbiot.flower.app.ClientApp} with handlers per message type (train, evaluate, query), or
 * the simpler {@link io.github.fedbiot.flower.app.TensorClient} in the style of Flower's {@code NumPyClient}.
 */
package io.github.fedbiot.flower.app;
