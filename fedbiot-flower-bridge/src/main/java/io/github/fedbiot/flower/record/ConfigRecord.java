/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flower's {@code ConfigRecord}: an ordered map from name to a long, double, boolean, String or byte[], or a
 * list of one of these. Flower's strategies send e.g. {@code {"server-round": 3}} in the {@code "config"} record.
 */
public final class ConfigRecord extends ValueRecord implements Record {
    private ConfigRecord(Map<String, Object> values) {
        super(values, "ConfigRecord");
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a record of a map's entries in iteration order.
     *
     * @param values allowed values or lists of them
     * @return the record
     * @throws IllegalArgumentException naming a key whose value has another type
     */
    public static ConfigRecord of(Map<String, ?> values) {
        Builder b = builder();
        values.forEach(b::put);
        return b.build();
    }

    /**
     * Returns a string value.
     *
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if absent or not a string
     */
    public String getString(String key) {
        Object v = get(key);
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("ConfigRecord '" + key + "' is " + describe(v) + ", not a String");
    }

    /**
     * Returns a boolean value.
     *
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if absent or not a boolean
     */
    public boolean getBoolean(String key) {
        Object v = get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("ConfigRecord '" + key + "' is " + describe(v) + ", not a boolean");
    }

    /**
     * Returns a copy of a bytes value.
     *
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if absent or not bytes
     */
    public byte[] getBytes(String key) {
        Object v = get(key);
        if (v instanceof byte[] b) {
            return b.clone();
        }
        throw new IllegalArgumentException("ConfigRecord '" + key + "' is " + describe(v) + ", not bytes");
    }

    static boolean isList(Object v) {
        return v instanceof List<?>;
    }

    /** Assembles a {@link ConfigRecord} in insertion order. */
    public static final class Builder {
        private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

        Builder() {}

        /**
         * Sets a value; integer types become Long, Float becomes Double, byte[] is copied.
         *
         * @param key the name
         * @param value an allowed value or list
         * @return this builder
         * @throws IllegalArgumentException if the value type is not allowed
         */
        public Builder put(String key, Object value) {
            Keys.check(key, "ConfigRecord");
            values.put(key, Values.normalize(key, value, true, "ConfigRecord"));
            return this;
        }

        /** Builds the record. @return the record */
        public ConfigRecord build() {
            return new ConfigRecord(copy(values));
        }
    }
}
