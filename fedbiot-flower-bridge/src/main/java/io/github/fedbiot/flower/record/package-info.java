/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Flower's message model in Java: {@link io.github.fedbiot.flower.record.Message} with its
 * {@link io.github.fedbiot.flower.record.Metadata}, and the records a
 * {@link io.github.fedbiot.flower.record.RecordDict} holds ({@link io.github.fedbiot.flower.record.ArrayRecord},
 * {@link io.github.fedbiot.flower.record.MetricRecord}, {@link io.github.fedbiot.flower.record.ConfigRecord}).
 * Arrays keep NumPy's {@code .npy} bytes, as Flower does, and convert to {@link io.github.fedbiot.tensor.NamedTensors}.
 */
package io.github.fedbiot.flower.record;
