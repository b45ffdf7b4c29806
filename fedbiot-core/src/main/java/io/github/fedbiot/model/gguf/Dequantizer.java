/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import io.github.fedbiot.tensor.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts ggml tensor data to float32: the plain float types (F32, F16, BF16), the 32-value block quants
 * (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) here, and the 256-value k-quants through {@link KQuantBlocks}.
 *
 * <p>Block layouts, little-endian, with {@code d} and {@code m} IEEE halves and value {@code j} of a block
 * ({@code j < 16} in the low nibble of byte {@code j}, {@code j >= 16} in the high nibble of byte
 * {@code j - 16}):
 * <ul>
 *   <li>Q4_0 {@code [d][16 nibble bytes]}: {@code x = d * (q - 8)}</li>
 *   <li>Q4_1 {@code [d][m][16 nibble bytes]}: {@code x = d * q + m}</li>
 *   <li>Q5_0 {@code [d][uint32 high bits][16 nibble bytes]}: bit {@code j} of the high bits is the fifth bit
 *       of value {@code j}; {@code x = d * (q - 16)}</li>
 *   <li>Q5_1 {@code [d][m][uint32 high bits][16 nibble bytes]}: {@code x = d * q + m}</li>
 *   <li>Q8_0 {@code [d][32 signed bytes]}: {@code x = d * q}</li>
 * </ul>
 * Products are computed in float32, as ggml does, so results match ggml's own dequantisation bit for bit.
 */
public final class Dequantizer {
    private Dequantizer() {}

    /**
     * Dequantises {@code count} values stored as {@code type}, reading from the buffer's position.
     *
     * @param type the stored type
     * @param data the bytes; at least {@code type.byteSize(count)} must remain
     * @param count the number of values, a multiple of the type's block size
     * @return the values
     * @throws GgufFormatException if the type is not supported, {@code count} is not a whole number of blocks,
     *     the buffer holds too few bytes, or a block's scale is NaN or infinite
     */
    public static float[] dequantize(GgmlType type, ByteBuffer data, int count) {
        if (!type.isDequantizable()) {
            throw new GgufFormatException("cannot dequantise type " + type + " (supported: "
                    + GgmlType.dequantizableNames() + ")");
        }
        if (count % type.blockSize() != 0) {
            throw new GgufFormatException(count + " values are not a whole number of " + type + " blocks of "
                    + type.blockSize());
        }
        long need = type.byteSize(count);
        if (data.remaining() < need) {
            throw new GgufFormatException(count + " " + type + " values need " + need + " bytes but only "
                    + data.remaining() + " are present (truncated data)");
        }
        ByteBuffer b = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        int blocks = count / type.blockSize();
        switch (type) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.f16ToFloat(b.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.bf16ToFloat(b.getShort(2 * i));
                }
            }
            case Q4_0, Q4_1 -> {
                boolean withMin = type == GgmlType.Q4_1;
                for (int blk = 0; blk < blocks; blk++) {
                    decodeQ4(b, blk * type.typeSize(), withMin, out, blk * 32);
                }
            }
            case Q5_0, Q5_1 -> {
                boolean withMin = type == GgmlType.Q5_1;
                for (int blk = 0; blk < blocks; blk++) {
                    decodeQ5(b, blk * type.typeSize(), withMin, out, blk * 32);
                }
            }
            case Q8_0 -> {
                for (int blk = 0; blk < blocks; blk++) {
                    int p = blk * 34;
                    float d = scale(b, p, type);
                    for (int j = 0; j < 32; j++) {
                        out[blk * 32 + j] = d * b.get(p + 2 + j);
                    }
                }
            }
            case Q4_K -> {
                for (int blk = 0; blk < blocks; blk++) {
                    KQuantBlocks.decodeQ4K(b, blk * type.typeSize(), out, blk * 256);
                }
            }
            case Q5_K -> {
                for (int blk = 0; blk < blocks; blk++) {
                    KQuantBlocks.decodeQ5K(b, blk * type.typeSize(), out, blk * 256);
                }
            }
            case Q6_K -> {
                for (int blk = 0; blk < blocks; blk++) {
                    KQuantBlocks.decodeQ6K(b, blk * type.typeSize(), out, blk * 256);
                }
            }
            default -> throw new IllegalStateException("no decoder for " + type);
        }
        return out;
    }

    private static void decodeQ4(ByteBuffer b, int p, boolean withMin, float[] out, int o) {
        GgmlType type = withMin ? GgmlType.Q4_1 : GgmlType.Q4_0;
        float d = scale(b, p, type);
        float m = withMin ? scale(b, p + 2, type) : 0f;
        int qs = p + (withMin ? 4 : 2);
        int offset = withMin ? 0 : 8;
        for (int j = 0; j < 16; j++) {
            int q = b.get(qs + j) & 0xFF;
            int lo = (q & 0x0F) - offset;
            int hi = (q >>> 4) - offset;
            out[o + j] = withMin ? lo * d + m : lo * d;
            out[o + j + 16] = withMin ? hi * d + m : hi * d;
        }
    }

    private static void decodeQ5(ByteBuffer b, int p, boolean withMin, float[] out, int o) {
        GgmlType type = withMin ? GgmlType.Q5_1 : GgmlType.Q5_0;
        float d = scale(b, p, type);
        float m = withMin ? scale(b, p + 2, type) : 0f;
        int hp = p + (withMin ? 4 : 2);
        int high = b.getInt(hp);
        int qs = hp + 4;
        int offset = withMin ? 0 : 16;
        for (int j = 0; j < 16; j++) {
            int q = b.get(qs + j) & 0xFF;
            int lo = ((q & 0x0F) | (((high >>> j) & 1) << 4)) - offset;
            int hi = ((q >>> 4) | (((high >>> (j + 16)) & 1) << 4)) - offset;
            out[o + j] = withMin ? lo * d + m : lo * d;
            out[o + j + 16] = withMin ? hi * d + m : hi * d;
        }
    }

    /**
     * Reads a block's scale (or minimum), an IEEE half at an absolute index. A NaN or infinite scale would turn
     * every value of its block into NaN or infinity, which trains to a NaN loss far from the cause; such a block
     * is refused here.
     *
     * @throws GgufFormatException naming the block if the scale is NaN or infinite
     */
    static float scale(ByteBuffer b, int p, GgmlType type) {
        float s = half(b, p);
        if (!Float.isFinite(s)) {
            throw new GgufFormatException(type + " block " + p / type.typeSize() + " has a " + s + " scale (a NaN "
                    + "or infinite scale makes every value of the block non-finite)");
        }
        return s;
    }

    /** Reads an IEEE half at an absolute index. */
    static float half(ByteBuffer b, int p) {
        return HalfFloats.f16ToFloat(b.getShort(p));
    }
}
