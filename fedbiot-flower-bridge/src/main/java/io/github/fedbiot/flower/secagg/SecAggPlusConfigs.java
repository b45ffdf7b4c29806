/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import io.github.fedbiot.flower.record.ConfigRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code secaggplus_configs} of one instruction without its {@code stage}, checked as {@code check_configs}
 * checks them (required keys, exact types: a Python {@code int} is a Long or a uint64 BigInteger, a {@code float}
 * a Double), with typed getters. Node ids are uint64: above {@code Long.MAX_VALUE} they arrive as BigInteger and
 * are kept in a long's bits.
 */
final class SecAggPlusConfigs {
    private final SecAggPlusStage stage;
    private final Map<String, Object> values;

    private SecAggPlusConfigs(SecAggPlusStage stage, Map<String, Object> values) {
        this.stage = stage;
        this.values = values;
    }

    /**
     * Checks the configs of a stage.
     *
     * @param stage the stage the instruction names
     * @param record the record, stage included
     * @return the configs without the stage
     * @throws SecAggPlusException naming the first missing or mistyped key
     */
    static SecAggPlusConfigs check(SecAggPlusStage stage, ConfigRecord record) {
        Map<String, Object> v = new LinkedHashMap<>(record.asMap());
        v.remove(SecAggPlusKey.STAGE);
        SecAggPlusConfigs c = new SecAggPlusConfigs(stage, v);
        switch (stage) {
            case SETUP -> {
                c.require(SecAggPlusKey.SAMPLE_NUMBER, Long.class);
                c.require(SecAggPlusKey.SHARE_NUMBER, Long.class);
                c.require(SecAggPlusKey.THRESHOLD, Long.class);
                c.require(SecAggPlusKey.CLIPPING_RANGE, Double.class);
                c.require(SecAggPlusKey.TARGET_RANGE, Long.class);
                c.require(SecAggPlusKey.MOD_RANGE, Long.class);
                c.require(SecAggPlusKey.MAX_WEIGHT, Double.class);
                if (c.getLong(SecAggPlusKey.MOD_RANGE) < 2 || c.getLong(SecAggPlusKey.TARGET_RANGE) < 1
                        || !(c.getDouble(SecAggPlusKey.CLIPPING_RANGE) > 0) || !(c.getDouble(SecAggPlusKey.MAX_WEIGHT) > 0)
                        || c.getLong(SecAggPlusKey.THRESHOLD) < 1
                        || c.getLong(SecAggPlusKey.SHARE_NUMBER) < c.getLong(SecAggPlusKey.THRESHOLD)) {
                    throw new SecAggPlusException("Stage setup: out-of-range parameters " + v);
                }
            }
            case SHARE_KEYS -> v.forEach((key, value) -> {
                if (!(value instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof byte[])
                        || !(l.get(1) instanceof byte[])) {
                    throw new SecAggPlusException("Stage share_keys: the value for the key '" + key
                            + "' must be a list of two bytes.");
                }
                parseNodeId(key);
            });
            case COLLECT_MASKED_VECTORS -> {
                c.requireList(SecAggPlusKey.CIPHERTEXT_LIST, byte[].class);
                c.requireList(SecAggPlusKey.SOURCE_LIST, Long.class);
            }
            case UNMASK -> {
                c.requireList(SecAggPlusKey.ACTIVE_NODE_ID_LIST, Long.class);
                c.requireList(SecAggPlusKey.DEAD_NODE_ID_LIST, Long.class);
            }
        }
        return c;
    }

    long getLong(String key) {
        return (Long) values.get(key);
    }

    double getDouble(String key) {
        return (Double) values.get(key);
    }

    List<byte[]> bytesList(String key) {
        List<byte[]> out = new ArrayList<>();
        ((List<?>) values.get(key)).forEach(o -> out.add((byte[]) o));
        return out;
    }

    List<Long> nodeIds(String key) {
        List<Long> out = new ArrayList<>();
        ((List<?>) values.get(key)).forEach(o -> out.add(o instanceof BigInteger b ? b.longValue() : (Long) o));
        return out;
    }

    /** Returns the share-keys entries: node id to (pk1, pk2), in the record's order. */
    Map<Long, byte[][]> publicKeys() {
        Map<Long, byte[][]> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(parseNodeId(k), new byte[][] {(byte[]) ((List<?>) v).get(0),
            (byte[]) ((List<?>) v).get(1)}));
        return out;
    }

    /** Returns node ids as Flower sends them: Longs, or all BigIntegers (a uint64 list) if one exceeds a long. */
    static List<?> nodeIdList(List<Long> ids) {
        if (ids.stream().allMatch(id -> id >= 0)) {
            return ids;
        }
        return ids.stream().map(id -> new BigInteger(Long.toUnsignedString(id))).toList();
    }

    private static long parseNodeId(String key) {
        try {
            return Long.parseUnsignedLong(key);
        } catch (NumberFormatException e) {
            throw new SecAggPlusException("Stage share_keys: key '" + key + "' is not a node id");
        }
    }

    private void require(String key, Class<?> type) {
        Object v = values.get(key);
        if (v == null) {
            throw new SecAggPlusException("Stage " + stage.wireName() + ": the required key '" + key
                    + "' is missing from the ConfigRecord.");
        }
        if (!type.isInstance(v)) {
            throw new SecAggPlusException("Stage " + stage.wireName() + ": The value for the key '" + key
                    + "' must be of type " + pythonType(type) + ", but got " + describe(v) + " instead.");
        }
    }

    private void requireList(String key, Class<?> element) {
        Object v = values.get(key);
        if (v == null) {
            throw new SecAggPlusException("Stage " + stage.wireName() + ": the required key '" + key
                    + "' is missing from the ConfigRecord.");
        }
        boolean ok = v instanceof List<?> l && l.stream().allMatch(e -> element.isInstance(e)
                || element == Long.class && e instanceof BigInteger);
        if (!ok) {
            throw new SecAggPlusException("Stage " + stage.wireName() + ": the value for the key '" + key
                    + "' must be of type List[" + pythonType(element) + "]");
        }
    }

    private static String pythonType(Class<?> type) {
        return type == Long.class ? "int" : type == Double.class ? "float" : type == byte[].class ? "bytes" : "str";
    }

    private static String describe(Object v) {
        return v instanceof List<?> ? "list" : pythonType(v.getClass());
    }
}
