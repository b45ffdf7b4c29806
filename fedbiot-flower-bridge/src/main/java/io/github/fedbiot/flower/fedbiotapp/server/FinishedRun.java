/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import io.github.fedbiot.algorithm.AggregationOutcome;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AlignerSession#finish} hands back to the ServerApp: how the last round's updates were aggregated
 * into the final adapter, and where the final LoRA was written.
 *
 * @param aggregation the outcome of {@code FedBiOTServer.aggregate}; its adapter is the final one
 * @param output the directory written to, or empty when the session's output writes nothing
 */
public record FinishedRun(AggregationOutcome aggregation, Optional<Path> output) {

    /** Rejects missing parts. */
    public FinishedRun {
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(output, "output");
    }
}
