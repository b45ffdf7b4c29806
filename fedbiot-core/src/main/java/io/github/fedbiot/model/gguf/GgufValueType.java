/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

/** The types of GGUF metadata values, with their ids in the file. */
public enum GgufValueType {
    /** unsigned 8-bit integer. */
    UINT8(0, 1),
    /** signed 8-bit integer. */
    INT8(1, 1),
    /** unsigned 16-bit integer. */
    UINT16(2, 2),
    /** signed 16-bit integer. */
    INT16(3, 2),
    /** unsigned 32-bit integer. */
    UINT32(4, 4),
    /** signed 32-bit integer. */
    INT32(5, 4),
    /** IEEE float32. */
    FLOAT32(6, 4),
    /** boolean, one byte that must be 0 or 1. */
    BOOL(7, 1),
    /** UTF-8 string: a uint64 length, then the bytes (no terminator). */
    STRING(8, 8),
    /** array: a uint32 element type, a uint64 count, then the elements. */
    ARRAY(9, 12),
    /** unsigned 64-bit integer. */
    UINT64(10, 8),
    /** signed 64-bit integer. */
    INT64(11, 8),
    /** IEEE float64. */
    FLOAT64(12, 8);

    private final int id;
    private final int minBytes;

    GgufValueType(int id, int minBytes) {
        this.id = id;
        this.minBytes = minBytes;
    }

    /** Returns the id stored in the file. @return the id */
    public int id() {
        return id;
    }

    /**
     * Returns the fewest bytes a value of this type takes in the file (its size for fixed-size types).
     *
     * @return the size in bytes
     */
    public int minBytes() {
        return minBytes;
    }

    /** Returns whether the type is an integer type. @return true for the 8- to 64-bit integers */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /**
     * Returns the type with an id.
     *
     * @param id the id read from the file
     * @return the type, or null if the id is unknown
     */
    public static GgufValueType fromId(long id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
