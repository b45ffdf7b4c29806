/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import java.util.List;

/**
 * One GGUF metadata value. Integers are held as {@link Long} (a UINT64 above {@code Long.MAX_VALUE} keeps its
 * bits), floats as {@link Double} (FLOAT32 widened exactly), booleans as {@link Boolean}, strings as
 * {@link String}, and arrays as an unmodifiable {@link List} of such values; the elements of an array of
 * arrays are themselves {@code GgufValue}s of type ARRAY.
 *
 * @param type the stored type
 * @param elementType the element type of an array, or null for a scalar
 * @param value the value, as described above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    /** Checks that array values carry their element type and scalars do not. */
    public GgufValue {
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType must be set exactly for arrays, found " + type
                    + " of " + elementType);
        }
        if (type == GgufValueType.ARRAY) {
            value = List.copyOf((List<?>) value);
        }
    }

    /** Returns the value as a list (arrays only). @return the elements */
    public List<?> asList() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException("a " + type + " value is not an array");
        }
        return (List<?>) value;
    }

    @Override
    public String toString() {
        if (type == GgufValueType.ARRAY) {
            List<?> l = asList();
            return "ARRAY<" + elementType + ">[" + l.size() + "]";
        }
        String s = String.valueOf(value);
        return type + ":" + (s.length() > 80 ? s.substring(0, 77) + "..." : s);
    }
}
