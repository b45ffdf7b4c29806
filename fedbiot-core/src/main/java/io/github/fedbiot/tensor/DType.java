/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

/** Element types of the safetensors format that fedbiot reads, with their sizes in bytes. */
public enum DType {
    /** IEEE float32. */
    F32(4),
    /** IEEE float16. */
    F16(2),
    /** bfloat16 (the upper half of a float32). */
    BF16(2),
    /** IEEE float64. */
    F64(8),
    /** signed 64-bit integer. */
    I64(8),
    /** signed 32-bit integer. */
    I32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Returns the size of one element in bytes. @return the size */
    public int bytes() {
        return bytes;
    }

    /** Returns whether values of this type convert to float32 for training. @return true for float types */
    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /**
     * Parses a safetensors dtype string.
     *
     * @param s the dtype, e.g. {@code BF16}
     * @return the type
     * @throws IllegalArgumentException for an unsupported dtype
     */
    public static DType parse(String s) {
        try {
            return valueOf(String.valueOf(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported dtype '" + s + "' (supported: F32, F16, BF16, F64, I64, I32)");
        }
    }
}
