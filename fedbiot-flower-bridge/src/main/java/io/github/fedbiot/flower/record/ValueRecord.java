/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared body of {@link MetricRecord} and {@link ConfigRecord}: an ordered map of normalised values. */
abstract class ValueRecord {
    private final Map<String, Object> values;
    private final String kind;

    ValueRecord(Map<String, Object> values, String kind) {
        this.values = Collections.unmodifiableMap(values);
        this.kind = kind;
    }

    /**
     * Returns the values in order: Long, Double (and for configs Boolean, String, byte[]) or unmodifiable lists
     * of one of them.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> asMap() {
        return values;
    }

    /** Returns the number of entries. @return the size */
    public int size() {
        return values.size();
    }

    /**
     * Returns whether a key is present.
     *
     * @param key the key
     * @return true if present
     */
    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    /**
     * Returns a value.
     *
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if the key is absent
     */
    public Object get(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no '" + key + "' in " + kind + "; keys: " + values.keySet());
        }
        return v;
    }

    /**
     * Returns an integer value.
     *
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if absent or not an integer
     */
    public long getLong(String key) {
        Object v = get(key);
        if (v instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException(kind + " '" + key + "' is " + describe(v) + ", not an integer");
    }

    /**
     * Returns a number as a double (integers are converted).
     *
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException if absent or not a number
     */
    public double getDouble(String key) {
        Object v = get(key);
        if (v instanceof Long || v instanceof Double) {
            return ((Number) v).doubleValue();
        }
        throw new IllegalArgumentException(kind + " '" + key + "' is " + describe(v) + ", not a number");
    }

    static String describe(Object v) {
        return v instanceof List<?> ? "a list" : "a " + v.getClass().getSimpleName();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ValueRecord r) || o.getClass() != getClass() || r.values.size() != values.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!valueEquals(e.getValue(), r.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y && x.size() == y.size()) {
            for (int i = 0; i < x.size(); i++) {
                if (!valueEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a != null && a.equals(b);
    }

    @Override
    public int hashCode() {
        return values.keySet().hashCode();
    }

    @Override
    public String toString() {
        return kind + values;
    }

    static Map<String, Object> copy(LinkedHashMap<String, Object> m) {
        return new LinkedHashMap<>(m);
    }
}
