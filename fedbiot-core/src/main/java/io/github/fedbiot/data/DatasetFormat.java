/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.fedbiot.ConfigException;
import java.util.Arrays;

/** The record layouts the loaders understand; {@link #AUTO} picks one from the fields of the first record. */
public enum DatasetFormat {
    /** Detects the layout from the first record's fields. */
    AUTO("auto"),
    /** Stanford Alpaca: {@code instruction}, {@code input}, {@code output} (optional {@code category}). */
    ALPACA("alpaca"),
    /** databricks-dolly-15k: {@code instruction}, {@code context}, {@code response}, {@code category}. */
    DOLLY("dolly"),
    /** GSM8K: {@code question}, {@code answer} whose {@code #### x} becomes {@code The answer is x.}. */
    GSM8K("gsm8k"),
    /** CodeAlpaca / Rosetta-Code-Alpaca: Alpaca fields, the category (language) in {@code category} or {@code lang}. */
    CODE("code");

    private final String id;

    DatasetFormat(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files. @return the id */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Parses a format name.
     *
     * @param s the name
     * @return the format
     * @throws ConfigException naming {@code data.format} if the name is unknown
     */
    @JsonCreator
    public static DatasetFormat parse(String s) {
        for (DatasetFormat f : values()) {
            if (f.id.equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new ConfigException("data.format", "unknown data format '" + s + "' (valid: "
                + Arrays.stream(values()).map(DatasetFormat::id).toList() + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
