/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an engine holds a model's frozen base weights in memory ({@code model.weight_format}). LoRA, optimizer
 * state and activations are float32 whatever the format; compressed weights are widened to float32 one layer
 * at a time when a pass needs them.
 */
public enum WeightFormat {
    /** As the file stores them: F32/F16/BF16 safetensors as is, GGUF blocks (Q8_0, Q4_0, Q4_1) as blocks. */
    AS_STORED("as_stored"),
    /** float32, 4 bytes a weight. */
    F32("f32"),
    /** IEEE half precision, 2 bytes a weight. */
    F16("f16"),
    /** bfloat16, 2 bytes a weight (held as its 16-bit patterns). */
    BF16("bf16"),
    /** GGUF Q8_0: blocks of 32 signed bytes and one f16 scale (8.5 bits a weight). */
    Q8_0("q8_0"),
    /** GGUF Q4_0: blocks of 32 nibbles and one f16 scale (4.5 bits a weight). */
    Q4_0("q4_0"),
    /** GGUF Q4_1: blocks of 32 nibbles, an f16 scale and an f16 minimum (5 bits a weight). */
    Q4_1("q4_1");

    private final String key;

    WeightFormat(String key) {
        this.key = key;
    }

    /**
     * Returns the name used in configuration files.
     *
     * @return e.g. {@code q4_0}
     */
    public String key() {
        return key;
    }

    /**
     * Returns whether weights in this format are block-quantised (a lossy conversion from float).
     *
     * @return true for Q8_0, Q4_0 and Q4_1
     */
    public boolean isBlockQuantized() {
        return this == Q8_0 || this == Q4_0 || this == Q4_1;
    }

    /**
     * Parses a configuration value.
     *
     * @param value the value, case-insensitive; null or blank means {@link #AS_STORED}
     * @return the format
     * @throws ConfigException naming {@code model.weight_format} for an unknown value
     */
    public static WeightFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return AS_STORED;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (WeightFormat f : values()) {
            if (f.key.equals(v)) {
                return f;
            }
        }
        throw new ConfigException("model.weight_format", "unknown weight format '" + value + "' (supported: "
                + Arrays.stream(values()).map(WeightFormat::key).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return key;
    }
}
