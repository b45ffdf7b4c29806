/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code train} handler in the record layout of Flower's legacy {@code FitIns} / {@code FitRes}
 * ({@code flwr.compat.common.recorddict_compat}), which {@code DefaultWorkflow} and {@code SecAggPlusWorkflow}
 * send and expect: the instruction holds {@code fitins.parameters} (arrays {@code "0"}, {@code "1"}, ... whose
 * dtype and shape are only in their {@code .npy} bytes) and {@code fitins.config}; the reply holds
 * {@code fitres.parameters} (same names, order, shapes and dtypes), {@code fitres.num_examples},
 * {@code fitres.metrics} and {@code fitres.status}.
 */
public final class LegacyFitHandler {
    /** The instruction's arrays. */
    public static final String FITINS_PARAMETERS = "fitins.parameters";
    /** The instruction's config. */
    public static final String FITINS_CONFIG = "fitins.config";
    /** The reply's arrays. */
    public static final String FITRES_PARAMETERS = "fitres.parameters";
    /** The reply's example count ({@code num_examples}). */
    public static final String FITRES_NUM_EXAMPLES = "fitres.num_examples";
    /** The reply's metrics. */
    public static final String FITRES_METRICS = "fitres.metrics";
    /** The reply's status ({@code code} 0 = OK, {@code message}). */
    public static final String FITRES_STATUS = "fitres.status";

    private LegacyFitHandler() {}

    /**
     * Returns a handler that trains a client on legacy {@code FitIns}.
     *
     * @param client the client
     * @return the handler
     */
    public static MessageHandler of(TensorClient client) {
        return (msg, ctx) -> {
            if (!(msg.content().asMap().get(FITINS_PARAMETERS) instanceof ArrayRecord in)) {
                throw new RecordException("expected Flower's legacy FitIns: no ArrayRecord '" + FITINS_PARAMETERS
                        + "' in " + msg.content().asMap().keySet());
            }
            ConfigRecord config = msg.content().asMap().get(FITINS_CONFIG) instanceof ConfigRecord c ? c
                    : ConfigRecord.builder().build();
            TensorClient.FitResult r = client.fit(in.toNamedTensors(), config);
            return RecordDict.builder()
                    .add(FITRES_METRICS, ConfigRecord.of(r.metrics()))
                    .add(FITRES_NUM_EXAMPLES, MetricRecord.builder().put("num_examples", r.numExamples()).build())
                    .add(FITRES_PARAMETERS, arrays(in, r.parameters()))
                    .add(FITRES_STATUS, ConfigRecord.of(Map.of("code", 0L, "message", "Success")))
                    .build();
        };
    }

    private static ArrayRecord arrays(ArrayRecord in, NamedTensors out) {
        if (out.size() != in.size()) {
            throw new IllegalStateException("fit returned " + out.size() + " arrays, received " + in.size());
        }
        Map<String, Tensor> byName = new LinkedHashMap<>(out.asMap());
        ArrayRecord.Builder b = ArrayRecord.builder();
        for (Map.Entry<String, Array> e : in.asMap().entrySet()) {
            Tensor t = byName.get(e.getKey());
            if (t == null || !Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalStateException("fit must return array '" + e.getKey() + "' of shape "
                        + Arrays.toString(e.getValue().shape()));
            }
            b.add(e.getKey(), Array.fromTensor(t, e.getValue().dtype()));
        }
        return b.build();
    }
}
