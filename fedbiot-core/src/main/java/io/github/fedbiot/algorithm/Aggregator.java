/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/** Combines validated client updates into the new global adapter LoRA. */
public interface Aggregator {

    /**
     * Aggregates updates.
     *
     * @param current the current global adapter LoRA (returned unchanged when there is no update)
     * @param updates validated updates, all with the layout of {@code current}
     * @return the new global adapter LoRA
     */
    NamedTensors aggregate(NamedTensors current, List<ClientUpdate> updates);
}
