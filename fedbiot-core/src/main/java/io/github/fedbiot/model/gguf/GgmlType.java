/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The tensor element types of ggml, with their ids in a GGUF file and their block geometry: a tensor's
 * innermost dimension is stored as blocks of {@link #blockSize()} values taking {@link #typeSize()} bytes.
 * Every type the format defines is listed so that any valid file can be opened and its byte ranges checked;
 * {@link #isDequantizable()} says which ones {@link Dequantizer} converts to float32.
 */
public enum GgmlType {
    /** float32. */
    F32(0, 1, 4, true),
    /** IEEE float16. */
    F16(1, 1, 2, true),
    /** 4-bit, 32 per block: f16 scale d, 16 bytes of nibbles; x = d * (q - 8). */
    Q4_0(2, 32, 18, true),
    /** 4-bit, 32 per block: f16 scale d, f16 minimum m, 16 bytes of nibbles; x = d * q + m. */
    Q4_1(3, 32, 20, true),
    /** 5-bit, 32 per block: f16 d, 32 high bits, 16 bytes of low nibbles; x = d * (q - 16). */
    Q5_0(6, 32, 22, true),
    /** 5-bit, 32 per block: f16 d, f16 m, 32 high bits, 16 bytes of low nibbles; x = d * q + m. */
    Q5_1(7, 32, 24, true),
    /** 8-bit, 32 per block: f16 d, 32 signed bytes; x = d * q. */
    Q8_0(8, 32, 34, true),
    /** 8-bit with a block sum, 32 per block (an activation format). */
    Q8_1(9, 32, 36, false),
    /** 2-bit k-quant, 256 per super-block. */
    Q2_K(10, 256, 84, false),
    /** 3-bit k-quant, 256 per super-block. */
    Q3_K(11, 256, 110, false),
    /** 4-bit k-quant, 256 per super-block of 8 sub-blocks with 6-bit scales and minima. */
    Q4_K(12, 256, 144, true),
    /** 5-bit k-quant, 256 per super-block of 8 sub-blocks with 6-bit scales and minima. */
    Q5_K(13, 256, 176, true),
    /** 6-bit k-quant, 256 per super-block of 16 sub-blocks with 8-bit scales. */
    Q6_K(14, 256, 210, true),
    /** 8-bit k-quant (an activation format). */
    Q8_K(15, 256, 292, false),
    /** importance-matrix 2.06-bit. */
    IQ2_XXS(16, 256, 66, false),
    /** importance-matrix 2.31-bit. */
    IQ2_XS(17, 256, 74, false),
    /** importance-matrix 3.06-bit. */
    IQ3_XXS(18, 256, 98, false),
    /** importance-matrix 1.56-bit. */
    IQ1_S(19, 256, 50, false),
    /** non-linear 4-bit, 32 per block. */
    IQ4_NL(20, 32, 18, false),
    /** importance-matrix 3.44-bit. */
    IQ3_S(21, 256, 110, false),
    /** importance-matrix 2.5-bit. */
    IQ2_S(22, 256, 82, false),
    /** non-linear 4.25-bit. */
    IQ4_XS(23, 256, 136, false),
    /** signed 8-bit integer. */
    I8(24, 1, 1, false),
    /** signed 16-bit integer. */
    I16(25, 1, 2, false),
    /** signed 32-bit integer. */
    I32(26, 1, 4, false),
    /** signed 64-bit integer. */
    I64(27, 1, 8, false),
    /** float64. */
    F64(28, 1, 8, false),
    /** importance-matrix 1.75-bit. */
    IQ1_M(29, 256, 56, false),
    /** bfloat16. */
    BF16(30, 1, 2, true),
    /** ternary 1.69-bit. */
    TQ1_0(34, 256, 54, false),
    /** ternary 2.06-bit. */
    TQ2_0(35, 256, 66, false),
    /** microscaling 4-bit float, 32 per block. */
    MXFP4(39, 32, 17, false);

    private final int id;
    private final int blockSize;
    private final int typeSize;
    private final boolean dequantizable;

    GgmlType(int id, int blockSize, int typeSize, boolean dequantizable) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.dequantizable = dequantizable;
    }

    /** Returns the id stored in a GGUF tensor info. @return the id */
    public int id() {
        return id;
    }

    /** Returns the number of values in one block. @return the block size */
    public int blockSize() {
        return blockSize;
    }

    /** Returns the number of bytes of one block. @return the block's byte size */
    public int typeSize() {
        return typeSize;
    }

    /** Returns whether {@link Dequantizer} converts this type to float32. @return true if supported */
    public boolean isDequantizable() {
        return dequantizable;
    }

    /**
     * Returns the bytes that {@code count} values of this type take.
     *
     * @param count the number of values, a multiple of {@link #blockSize()}
     * @return the byte size
     * @throws IllegalArgumentException if {@code count} is not a whole number of blocks
     */
    public long byteSize(long count) {
        if (count % blockSize != 0) {
            throw new IllegalArgumentException(count + " values are not a whole number of " + this + " blocks of "
                    + blockSize);
        }
        return Math.multiplyExact(count / blockSize, (long) typeSize);
    }

    /**
     * Returns the type with an id.
     *
     * @param id the id read from the file
     * @return the type, or null if the id is unknown
     */
    public static GgmlType fromId(long id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }

    /** Returns the names of the types {@link Dequantizer} supports. @return e.g. "F32, F16, ..." */
    public static String dequantizableNames() {
        return Arrays.stream(values()).filter(GgmlType::isDequantizable).map(Enum::name)
                .collect(Collectors.joining(", "));
    }
}
