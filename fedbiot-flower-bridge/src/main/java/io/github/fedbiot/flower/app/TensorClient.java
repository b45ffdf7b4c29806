/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.Map;
import java.util.Objects;

/**
 * A client in the style of Flower's {@code NumPyClient}: receives the global arrays as {@link NamedTensors}
 * (names = the ArrayRecord keys, {@code "0"}, {@code "1"}, ... for a list) and the round's config, returns
 * new arrays or an evaluation. {@link #toClientApp()} turns it into a {@link ClientApp} that speaks the message
 * format of Flower's strategies (FedAvg and friends): it reads the content's ArrayRecord and ConfigRecord and
 * replies {@code {"arrays": ArrayRecord, "metrics": MetricRecord{"num-examples", ...}}}.
 */
public interface TensorClient {
    /**
     * Trains on local data.
     *
     * @param parameters the global arrays
     * @param config the round's config (e.g. {@code server-round}); empty if none was sent
     * @return the new arrays (same names and shapes), the examples used and optional metrics
     * @throws Exception on failure; the ServerApp receives an error reply
     */
    default FitResult fit(NamedTensors parameters, ConfigRecord config) throws Exception {
        throw new UnsupportedOperationException("this client does not implement fit (train messages)");
    }

    /**
     * Evaluates the global arrays on local data.
     *
     * @param parameters the global arrays
     * @param config the round's config
     * @return loss, examples used and optional metrics
     * @throws Exception on failure; the ServerApp receives an error reply
     */
    default EvaluateResult evaluate(NamedTensors parameters, ConfigRecord config) throws Exception {
        throw new UnsupportedOperationException("this client does not implement evaluate (evaluate messages)");
    }

    /** Returns a ClientApp for Flower's strategies. @return the app */
    default ClientApp toClientApp() {
        return TensorClientApp.of(this);
    }

    /**
     * The result of {@link #fit}.
     *
     * @param parameters the new arrays
     * @param numExamples examples used; FedAvg weights by it
     * @param metrics extra metrics (numbers or lists of numbers)
     */
    record FitResult(NamedTensors parameters, long numExamples, Map<String, ?> metrics) {
        /** Checks the values. */
        public FitResult {
            Objects.requireNonNull(parameters, "parameters");
            if (numExamples < 0) {
                throw new IllegalArgumentException("numExamples must be >= 0, got " + numExamples);
            }
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * The result of {@link #evaluate}.
     *
     * @param loss the loss
     * @param numExamples examples used; FedAvg weights by it
     * @param metrics extra metrics (numbers or lists of numbers)
     */
    record EvaluateResult(double loss, long numExamples, Map<String, ?> metrics) {
        /** Checks the values. */
        public EvaluateResult {
            if (numExamples < 0) {
                throw new IllegalArgumentException("numExamples must be >= 0, got " + numExamples);
            }
            metrics = Map.copyOf(metrics);
        }
    }
}
