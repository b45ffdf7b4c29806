/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.ConfigException;
import java.util.Locale;
import java.util.Objects;

/**
 * How an engine holds and trains a model it loads ({@code model.weight_format},
 * {@code model.activation_checkpointing}).
 *
 * @param weightFormat the in-memory format of the frozen base weights
 * @param checkpointing whether training recomputes each decoder layer in the backward pass instead of keeping its
 *     graph (and the layer's widened weights) from the forward pass
 */
public record LoadOptions(WeightFormat weightFormat, Checkpointing checkpointing) {

    /** The defaults: weights as stored, checkpointing when they are compressed. */
    public static final LoadOptions DEFAULT = new LoadOptions(WeightFormat.AS_STORED, Checkpointing.AUTO);

    /** When training recomputes layers ({@code model.activation_checkpointing}). */
    public enum Checkpointing {
        /** On when any frozen decoder weight is held compressed (not float32), else off. */
        AUTO,
        /** Always: the least memory, about one more forward pass of the trained layers per step. */
        ON,
        /** Never: autograd keeps every layer's graph until the backward pass. */
        OFF;

        /**
         * Parses a configuration value: {@code auto}, {@code true}/{@code on}, {@code false}/{@code off}.
         *
         * @param value the value; null or blank means {@link #AUTO}
         * @return the setting
         * @throws ConfigException naming {@code model.activation_checkpointing} for another value
         */
        public static Checkpointing parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "true", "on" -> ON;
                case "false", "off" -> OFF;
                default -> throw new ConfigException("model.activation_checkpointing", "'" + value
                        + "' is not one of auto, true, false");
            };
        }
    }

    /** Checks that both settings are present. */
    public LoadOptions {
        Objects.requireNonNull(weightFormat, "weightFormat");
        Objects.requireNonNull(checkpointing, "checkpointing");
    }

    /**
     * Returns these options with another weight format.
     *
     * @param format the format
     * @return the options
     */
    public LoadOptions withWeightFormat(WeightFormat format) {
        return new LoadOptions(format, checkpointing);
    }

    /**
     * Returns whether these are the defaults.
     *
     * @return true for {@link #DEFAULT}
     */
    public boolean isDefault() {
        return equals(DEFAULT);
    }
}
