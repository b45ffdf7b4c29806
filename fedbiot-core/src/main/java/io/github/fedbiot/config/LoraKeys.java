/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import io.github.fedbiot.model.LoraSpec;
import java.util.List;

/**
 * The {@code lora} section as a file writes it, every key optional. The configuration holds the resolved
 * {@link LoraSpec}; this type exists only so that a missing key takes its default.
 *
 * @param rank {@code lora.rank}
 * @param alpha {@code lora.alpha}
 * @param dropout {@code lora.dropout}
 * @param targets {@code lora.targets}
 */
record LoraKeys(Integer rank, Double alpha, Double dropout, List<String> targets) {

    /** Returns the spec, the default for each missing key. @return the spec */
    LoraSpec resolve() {
        LoraSpec d = LoraSpec.DEFAULT;
        return new LoraSpec(rank != null ? rank : d.rank(), alpha != null ? alpha : d.alpha(),
                dropout != null ? dropout : d.dropout(), targets != null ? targets : d.targets());
    }
}
