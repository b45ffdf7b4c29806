/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flower's {@code MetricRecord}: an ordered map from name to a long, a double, or a list of longs or of doubles.
 * Flower's FedAvg weights replies by the {@code "num-examples"} entry of the reply's MetricRecord.
 */
public final class MetricRecord extends ValueRecord implements Record {
    private MetricRecord(Map<String, Object> values) {
        super(values, "MetricRecord");
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a record of a map's entries in iteration order.
     *
     * @param values Integer/Long/Float/Double values or lists of them
     * @return the record
     * @throws IllegalArgumentException naming a key whose value has another type
     */
    public static MetricRecord of(Map<String, ?> values) {
        Builder b = builder();
        values.forEach(b::put);
        return b.build();
    }

    /** Assembles a {@link MetricRecord} in insertion order. */
    public static final class Builder {
        private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

        Builder() {}

        /**
         * Sets a value; integer types become Long, Float becomes Double.
         *
         * @param key the name
         * @param value a number or a list of numbers
         * @return this builder
         * @throws IllegalArgumentException if the value type is not allowed
         */
        public Builder put(String key, Object value) {
            Keys.check(key, "MetricRecord");
            values.put(key, Values.normalize(key, value, false, "MetricRecord"));
            return this;
        }

        /** Builds the record. @return the record */
        public MetricRecord build() {
            return new MetricRecord(copy(values));
        }
    }
}
