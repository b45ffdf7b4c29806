/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic client for the interop tests: in round r, node k returns {@code x * (1 + 0.01 k) + 0.1 (k + 1) r}
 * element-wise, with {@code 10 (k + 1)} examples, and remembers what it sent per round.
 */
class RecordingClient implements TensorClient {
    final int k;
    final Map<Long, NamedTensors> sent = new ConcurrentHashMap<>();
    final Map<Long, NamedTensors> received = new ConcurrentHashMap<>();

    RecordingClient(int k) {
        this.k = k;
    }

    long numExamples() {
        return 10L * (k + 1);
    }

    @Override
    public FitResult fit(NamedTensors parameters, ConfigRecord config) {
        long round = config.getLong("server-round");
        NamedTensors.Builder b = NamedTensors.builder();
        parameters.asMap().forEach((name, t) -> {
            float[] d = t.data().clone(); // Tensor.data() is the live array: never change the input
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] * (1 + 0.01f * k) + 0.1f * (k + 1) * round;
            }
            b.add(name, new Tensor(t.shape(), d));
        });
        NamedTensors out = b.build();
        received.put(round, parameters);
        sent.put(round, out);
        return new FitResult(out, numExamples(), Map.of("train-loss", 1.0 / round));
    }

    @Override
    public EvaluateResult evaluate(NamedTensors parameters, ConfigRecord config) {
        return new EvaluateResult(0.25 * (k + 1), numExamples(), Map.of());
    }
}
