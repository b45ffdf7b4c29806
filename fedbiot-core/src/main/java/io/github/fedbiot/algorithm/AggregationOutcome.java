/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;
import java.util.Map;

/**
 * The result of one round's aggregation.
 *
 * @param adapterLora the new global adapter LoRA (unchanged when no update was accepted)
 * @param accepted ids of the clients whose updates were aggregated
 * @param rejected id to reason for every rejected update
 * @param samples the examples behind the accepted updates
 */
public record AggregationOutcome(NamedTensors adapterLora, List<String> accepted, Map<String, String> rejected,
        long samples) {

    /** Copies the collections. */
    public AggregationOutcome {
        accepted = List.copyOf(accepted);
        rejected = Map.copyOf(rejected);
    }
}
