/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.tensor.HalfFloats;

/**
 * Quantises float32 rows into GGUF blocks as ggml's reference quantisers do ({@code quantize_row_q8_0_ref},
 * {@code q4_0_ref}, {@code q4_1_ref} in {@code ggml-quants.c}): Q8_0 scales by {@code max|x| / 127} and rounds
 * half away from zero; Q4_0 divides by {@code -8} times the value of largest magnitude (keeping its sign) and
 * truncates {@code x / d + 8.5}; Q4_1 spans {@code [min, max]} in 15 steps and truncates
 * {@code (x - min) / d + 0.5}. The scales are stored as f16 and the quants are computed with the float32 scale,
 * as ggml does.
 */
public final class BlockQuantizer {
    private BlockQuantizer() {}

    /** Quantised blocks of a whole matrix: quants (bytes per block: 32 or 16), f16 scales and minima. */
    record Blocks(byte[] quants, short[] scales, short[] mins) {}

    /**
     * Quantises a row-major matrix whose rows are a whole number of blocks.
     *
     * @param x the values
     * @param format Q8_0, Q4_0 or Q4_1
     * @return the blocks, row after row
     */
    static Blocks quantize(float[] x, WeightFormat format) {
        if (x.length % BlockWeight.BLOCK != 0) {
            throw new IllegalArgumentException(x.length + " values are not whole blocks of 32");
        }
        int blocks = x.length / BlockWeight.BLOCK;
        int qBytes = format == WeightFormat.Q8_0 ? 32 : 16;
        byte[] q = new byte[blocks * qBytes];
        short[] d = new short[blocks];
        short[] m = format == WeightFormat.Q4_1 ? new short[blocks] : null;
        for (int b = 0; b < blocks; b++) {
            switch (format) {
                case Q8_0 -> q80(x, b * 32, q, b * 32, d, b);
                case Q4_0 -> q40(x, b * 32, q, b * 16, d, b);
                case Q4_1 -> q41(x, b * 32, q, b * 16, d, m, b);
                default -> throw new IllegalArgumentException("not a block format: " + format);
            }
        }
        return new Blocks(q, d, m);
    }

    private static void q80(float[] x, int o, byte[] q, int qo, short[] d, int b) {
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[o + j]));
        }
        float scale = amax / 127f;
        float inv = scale != 0 ? 1f / scale : 0f;
        d[b] = HalfFloats.floatToF16(scale);
        for (int j = 0; j < 32; j++) {
            q[qo + j] = (byte) roundHalfAway(x[o + j] * inv);
        }
    }

    private static void q40(float[] x, int o, byte[] q, int qo, short[] d, int b) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[o + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float scale = max / -8f;
        float inv = scale != 0 ? 1f / scale : 0f;
        d[b] = HalfFloats.floatToF16(scale);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[o + j] * inv + 8.5f));
            int hi = Math.min(15, (int) (x[o + 16 + j] * inv + 8.5f));
            q[qo + j] = (byte) (lo | (hi << 4));
        }
    }

    private static void q41(float[] x, int o, byte[] q, int qo, short[] d, short[] m, int b) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            min = Math.min(min, x[o + j]);
            max = Math.max(max, x[o + j]);
        }
        float scale = (max - min) / 15f;
        float inv = scale != 0 ? 1f / scale : 0f;
        d[b] = HalfFloats.floatToF16(scale);
        m[b] = HalfFloats.floatToF16(min);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) ((x[o + j] - min) * inv + 0.5f));
            int hi = Math.min(15, (int) ((x[o + 16 + j] - min) * inv + 0.5f));
            q[qo + j] = (byte) (lo | (hi << 4));
        }
    }

    private static int roundHalfAway(float v) {
        return (int) (v < 0 ? -Math.floor(-v + 0.5f) : Math.floor(v + 0.5f));
    }
}
