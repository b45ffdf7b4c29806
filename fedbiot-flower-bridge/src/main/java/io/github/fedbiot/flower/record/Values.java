/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Normalises Java values into the value types of {@link MetricRecord} and {@link ConfigRecord}. */
final class Values {
    private Values() {}

    /** Integer types become Long, Float becomes Double; lists are normalised element-wise and copied. */
    static Object normalize(String key, Object value, boolean config, String where) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            Class<?> kind = null;
            for (Object item : list) {
                if (item instanceof List<?>) {
                    throw bad(key, value, where, config);
                }
                Object n = normalizeScalar(key, item, config, where, value);
                if (kind != null && kind != n.getClass()) {
                    throw new IllegalArgumentException(where + " '" + key + "': list mixes " + kind.getSimpleName()
                            + " and " + n.getClass().getSimpleName() + " values");
                }
                kind = n.getClass();
                out.add(n);
            }
            return Collections.unmodifiableList(out);
        }
        return normalizeScalar(key, value, config, where, value);
    }

    private static Object normalizeScalar(String key, Object v, boolean config, String where, Object whole) {
        if (v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigInteger u && u.signum() >= 0 && u.bitLength() <= 64) {
            return u; // a uint64 (Flower's node ids); kept apart from Long so that it travels as uint64
        }
        if (config && (v instanceof Boolean || v instanceof String)) {
            return v;
        }
        if (config && v instanceof byte[] b) {
            return b.clone();
        }
        throw bad(key, whole, where, config);
    }

    private static IllegalArgumentException bad(String key, Object value, String where, boolean config) {
        String type = value == null ? "null" : value.getClass().getSimpleName();
        return new IllegalArgumentException(where + " '" + key + "': a value of type " + type + " is not allowed; "
                + (config ? "use long, double, boolean, String, byte[], a uint64 BigInteger or a list of one of them"
                        : "use long, double, a uint64 BigInteger or a list of one of them"));
    }
}
