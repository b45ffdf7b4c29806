/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Flower's {@code RecordDict}: the content of a message, an ordered map from name to {@link Record}. FedAvg
 * sends {@code {"arrays": ArrayRecord, "config": ConfigRecord}} and expects {@code {"arrays": ..., "metrics":
 * MetricRecord}} back from training.
 */
public final class RecordDict {
    private static final RecordDict EMPTY = new RecordDict(new LinkedHashMap<>());
    private final Map<String, Record> records;

    private RecordDict(Map<String, Record> records) {
        this.records = Collections.unmodifiableMap(records);
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the empty RecordDict. @return it */
    public static RecordDict empty() {
        return EMPTY;
    }

    /** Returns the records in order. @return an unmodifiable map */
    public Map<String, Record> asMap() {
        return records;
    }

    /** Returns the number of records. @return the size */
    public int size() {
        return records.size();
    }

    /**
     * Returns the ArrayRecord under a key.
     *
     * @param key the name
     * @return the record
     * @throws IllegalArgumentException if absent or of another kind
     */
    public ArrayRecord arrayRecord(String key) {
        return typed(key, ArrayRecord.class);
    }

    /**
     * Returns the MetricRecord under a key.
     *
     * @param key the name
     * @return the record
     * @throws IllegalArgumentException if absent or of another kind
     */
    public MetricRecord metricRecord(String key) {
        return typed(key, MetricRecord.class);
    }

    /**
     * Returns the ConfigRecord under a key.
     *
     * @param key the name
     * @return the record
     * @throws IllegalArgumentException if absent or of another kind
     */
    public ConfigRecord configRecord(String key) {
        return typed(key, ConfigRecord.class);
    }

    /**
     * Returns all records of one kind, in order.
     *
     * @param kind {@code ArrayRecord.class}, {@code MetricRecord.class} or {@code ConfigRecord.class}
     * @param <R> the kind
     * @return name to record
     */
    public <R extends Record> Map<String, R> recordsOf(Class<R> kind) {
        LinkedHashMap<String, R> out = new LinkedHashMap<>();
        records.forEach((k, v) -> {
            if (kind.isInstance(v)) {
                out.put(k, kind.cast(v));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private <R extends Record> R typed(String key, Class<R> kind) {
        Record r = records.get(key);
        if (r == null) {
            throw new IllegalArgumentException("no record '" + key + "' in RecordDict; keys: " + records.keySet());
        }
        if (!kind.isInstance(r)) {
            throw new IllegalArgumentException("record '" + key + "' is a " + r.getClass().getSimpleName() + ", not a "
                    + kind.getSimpleName());
        }
        return kind.cast(r);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordDict r && records.equals(r.records);
    }

    @Override
    public int hashCode() {
        return records.hashCode();
    }

    @Override
    public String toString() {
        return "RecordDict" + records;
    }

    /** Assembles a {@link RecordDict} in insertion order. */
    public static final class Builder {
        private final LinkedHashMap<String, Record> records = new LinkedHashMap<>();

        Builder() {}

        /**
         * Adds a record; a repeated or empty name is an error.
         *
         * @param key the name
         * @param record the record
         * @return this builder
         */
        public Builder add(String key, Record record) {
            Keys.check(key, "RecordDict");
            if (records.putIfAbsent(key, Objects.requireNonNull(record, key)) != null) {
                throw new IllegalArgumentException("duplicate record '" + key + "'");
            }
            return this;
        }

        /** Builds the RecordDict. @return it */
        public RecordDict build() {
            return new RecordDict(new LinkedHashMap<>(records));
        }
    }
}
