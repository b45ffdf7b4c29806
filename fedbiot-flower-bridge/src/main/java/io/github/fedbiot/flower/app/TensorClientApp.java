/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.NumpyDType;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/** Adapts a {@link TensorClient} to the message format of Flower's strategies. */
final class TensorClientApp {
    /** Flower's FedAvg {@code weighted_by_key}. */
    static final String NUM_EXAMPLES = "num-examples";
    /** Flower's FedAvg {@code arrayrecord_key}. */
    static final String ARRAYS = "arrays";

    private TensorClientApp() {}

    static ClientApp of(TensorClient client) {
        return ClientApp.builder()
                .optTrain((msg, ctx) -> train(client, msg))
                .optEvaluate((msg, ctx) -> evaluate(client, msg))
                .build();
    }

    private static Map.Entry<String, ArrayRecord> arrays(RecordDict content) {
        Map<String, ArrayRecord> all = content.recordsOf(ArrayRecord.class);
        if (all.size() != 1) {
            throw new RecordException("expected exactly one ArrayRecord in the message content, found " + all.size()
                    + " " + all.keySet());
        }
        return all.entrySet().iterator().next();
    }

    private static ConfigRecord config(RecordDict content) {
        Map<String, ConfigRecord> all = content.recordsOf(ConfigRecord.class);
        if (all.size() > 1) {
            throw new RecordException("expected at most one ConfigRecord in the message content, found "
                    + all.keySet());
        }
        return all.isEmpty() ? ConfigRecord.builder().build() : all.values().iterator().next();
    }

    private static RecordDict train(TensorClient client, Message msg) throws Exception {
        Map.Entry<String, ArrayRecord> in = arrays(msg.content());
        NamedTensors params = in.getValue().toNamedTensors();
        TensorClient.FitResult r = client.fit(params, config(msg.content()));
        ArrayRecord.Builder out = ArrayRecord.builder();
        for (Map.Entry<String, Tensor> e : r.parameters().asMap().entrySet()) {
            Array received = in.getValue().asMap().get(e.getKey());
            if (received == null) {
                throw new IllegalStateException("fit returned tensor '" + e.getKey() + "' that was not sent; sent: "
                        + in.getValue().asMap().keySet());
            }
            if (!Arrays.equals(received.shape(), e.getValue().shape())) {
                throw new IllegalStateException("fit returned tensor '" + e.getKey() + "' of shape "
                        + Arrays.toString(e.getValue().shape()) + ", received " + Arrays.toString(received.shape()));
            }
            NumpyDType dtype = received.dtype();
            out.add(e.getKey(), Array.fromTensor(e.getValue(), dtype));
        }
        if (r.parameters().size() != in.getValue().size()) {
            throw new IllegalStateException("fit returned " + r.parameters().size() + " tensors, received "
                    + in.getValue().size() + " " + in.getValue().asMap().keySet());
        }
        return RecordDict.builder()
                .add(ARRAYS, out.build())
                .add("metrics", metrics(r.metrics(), r.numExamples(), null))
                .build();
    }

    private static RecordDict evaluate(TensorClient client, Message msg) throws Exception {
        Map.Entry<String, ArrayRecord> in = arrays(msg.content());
        TensorClient.EvaluateResult r = client.evaluate(in.getValue().toNamedTensors(), config(msg.content()));
        return RecordDict.builder().add("metrics", metrics(r.metrics(), r.numExamples(), r.loss())).build();
    }

    private static MetricRecord metrics(Map<String, ?> extra, long numExamples, Double loss) {
        MetricRecord.Builder b = MetricRecord.builder();
        if (loss != null) {
            b.put("loss", loss);
        }
        extra.forEach(b::put);
        b.put(NUM_EXAMPLES, numExamples);
        return b.build();
    }
}
