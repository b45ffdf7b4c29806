/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import io.github.fedbiot.algorithm.AggregationOutcome;
import java.util.Objects;

/**
 * What {@link AlignerSession#align} hands back to the ServerApp: how the round's updates were aggregated (the new
 * global adapter, which updates were accepted and why the others were rejected) and the emulator aligned to it.
 *
 * @param aggregation the outcome of {@code FedBiOTServer.aggregate}
 * @param alignment the emulator LoRA of the next broadcast and the alignment statistics
 */
public record AlignedRound(AggregationOutcome aggregation, AlignStep alignment) {

    /** Rejects missing parts. */
    public AlignedRound {
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(alignment, "alignment");
    }
}
