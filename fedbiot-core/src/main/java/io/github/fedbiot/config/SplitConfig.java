/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;

/**
 * How the model is split into adapter and emulator.
 *
 * @param adapterLayers K: FedBiOT's adapter is the last K layers; the baselines' adapter is the first and last
 *     {@code baselinePad} layers instead
 * @param dropRate beta, the share of teacher layers the emulator drops
 * @param baselinePad layers at each end that form the Offsite-Tuning / FedOT adapter
 */
public record SplitConfig(int adapterLayers, double dropRate, int baselinePad) {

    /** FedBiOT's defaults: K = 2, beta = 0.2, baseline adapter = first 2 + last 2. */
    public static final SplitConfig DEFAULT = new SplitConfig(2, 0.2, 2);

    /** Validates the values (the model's depth is checked when the plan is built). */
    public SplitConfig {
        ConfigException.require(adapterLayers >= 1, "plan.adapter_layers", adapterLayers, "must be >= 1");
        ConfigException.require(dropRate >= 0 && dropRate < 1, "plan.drop_rate", dropRate, "must be in [0, 1)");
        ConfigException.require(baselinePad >= 1, "plan.baseline_pad", baselinePad, "must be >= 1");
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param adapterLayers {@code plan.adapter_layers}
     * @param dropRate {@code plan.drop_rate}
     * @param baselinePad {@code plan.baseline_pad}
     * @return the section
     */
    @JsonCreator
    static SplitConfig fromJson(@JsonProperty("adapter_layers") Integer adapterLayers,
            @JsonProperty("drop_rate") Double dropRate, @JsonProperty("baseline_pad") Integer baselinePad) {
        return new SplitConfig(adapterLayers != null ? adapterLayers : DEFAULT.adapterLayers,
                dropRate != null ? dropRate : DEFAULT.dropRate, baselinePad != null ? baselinePad : DEFAULT.baselinePad);
    }
}
