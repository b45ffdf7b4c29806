/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.FedbiotException;

/**
 * Typed reads of config.json values: each read names the key and the value found when the type is wrong, and
 * an absent or null key gives the default (transformers' default for that key).
 */
final class ConfigValues {
    private ConfigValues() {}

    static String text(JsonNode c, String key, String dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new FedbiotException("config.json: '" + key + "' must be a string (found " + n + ")");
        }
        return n.asText();
    }

    static boolean bool(JsonNode c, String key, boolean dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new FedbiotException("config.json: '" + key + "' must be true or false (found " + n + ")");
        }
        return n.booleanValue();
    }

    /**
     * Reads a token id; Llama-3 lists several EOS ids, and the first is the canonical one. An absent key is the
     * family's default, an explicit null none (-1).
     */
    static int tokenId(JsonNode c, String key, int absent) {
        if (!c.has(key)) {
            return absent;
        }
        JsonNode n = c.get(key);
        if (n != null && n.isArray()) {
            if (n.isEmpty()) {
                return -1;
            }
            n = n.get(0);
        }
        if (n == null || n.isNull()) {
            return -1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
            throw new FedbiotException("config.json: '" + key + "' must be a token id >= 0 or a list of them (found "
                    + c.get(key) + ")");
        }
        return n.asInt();
    }

    static int integer(JsonNode c, String key, Integer dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new FedbiotException("config.json: missing '" + key + "'");
            }
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new FedbiotException("config.json: '" + key + "' must be an integer (found " + n + ")");
        }
        return n.asInt();
    }

    static double dbl(JsonNode c, String key, double dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new FedbiotException("config.json: '" + key + "' must be a number (found " + n + ")");
        }
        return n.asDouble();
    }

    static void requireDivisible(int size, int heads, String sizeKey, String headsKey) {
        if (heads > 0 && size % heads != 0) {
            throw new FedbiotException("config.json: '" + sizeKey + "' (" + size + ") is not divisible by '" + headsKey
                    + "' (" + heads + ")");
        }
    }

    static void require(boolean ok, String key, Object value) {
        if (!ok) {
            throw new FedbiotException("config.json: invalid '" + key + "' (found " + value + ")");
        }
    }
}
