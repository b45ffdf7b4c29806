/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import java.nio.ByteBuffer;

/**
 * Decoders of the 256-value "k-quant" super-blocks of ggml (little-endian, halves as IEEE f16).
 * <ul>
 *   <li>Q4_K, 144 bytes {@code [d][dmin][12 scale bytes][128 nibble bytes]}: eight sub-blocks of 32 values
 *       with 6-bit scale {@code sc} and minimum {@code mn} packed in the 12 bytes; value
 *       {@code x = d * sc * q - dmin * mn}. Sub-blocks pair up per 32 quant bytes: the low nibbles are the
 *       even sub-block, the high nibbles the odd one.</li>
 *   <li>Q5_K, 176 bytes {@code [d][dmin][12 scale bytes][32 high-bit bytes][128 nibble bytes]}: as Q4_K plus
 *       a fifth bit: bit {@code s} of high-bit byte {@code l} belongs to value {@code l} of sub-block {@code s}.</li>
 *   <li>Q6_K, 210 bytes {@code [128 low-nibble bytes][64 high-bit bytes][16 signed scales][d]}: sixteen
 *       sub-blocks of 16 values; {@code x = d * scale * (q - 32)}, q of 4 low and 2 high bits.</li>
 * </ul>
 * Scale packing of Q4_K/Q5_K, sub-block {@code j < 4}: {@code sc = s[j] & 63}, {@code mn = s[j+4] & 63};
 * {@code j >= 4}: {@code sc = (s[j+4] & 15) | (s[j-4] >> 6) << 4}, {@code mn = (s[j+4] >> 4) | (s[j] >> 6) << 4}.
 */
final class KQuantBlocks {
    private KQuantBlocks() {}

    static void decodeQ4K(ByteBuffer b, int p, float[] out, int o) {
        float d = Dequantizer.scale(b, p, GgmlType.Q4_K);
        float dmin = Dequantizer.scale(b, p + 2, GgmlType.Q4_K);
        int scales = p + 4;
        int qs = p + 16;
        for (int pair = 0; pair < 4; pair++) {
            int s0 = 2 * pair;
            float d1 = d * scale(b, scales, s0);
            float m1 = dmin * min(b, scales, s0);
            float d2 = d * scale(b, scales, s0 + 1);
            float m2 = dmin * min(b, scales, s0 + 1);
            int q = qs + 32 * pair;
            int y = o + 64 * pair;
            for (int l = 0; l < 32; l++) {
                int v = b.get(q + l) & 0xFF;
                out[y + l] = d1 * (v & 0x0F) - m1;
                out[y + 32 + l] = d2 * (v >>> 4) - m2;
            }
        }
    }

    static void decodeQ5K(ByteBuffer b, int p, float[] out, int o) {
        float d = Dequantizer.scale(b, p, GgmlType.Q5_K);
        float dmin = Dequantizer.scale(b, p + 2, GgmlType.Q5_K);
        int scales = p + 4;
        int qh = p + 16;
        int qs = p + 48;
        for (int pair = 0; pair < 4; pair++) {
            int s0 = 2 * pair;
            float d1 = d * scale(b, scales, s0);
            float m1 = dmin * min(b, scales, s0);
            float d2 = d * scale(b, scales, s0 + 1);
            float m2 = dmin * min(b, scales, s0 + 1);
            int q = qs + 32 * pair;
            int y = o + 64 * pair;
            for (int l = 0; l < 32; l++) {
                int v = b.get(q + l) & 0xFF;
                int h = b.get(qh + l) & 0xFF;
                int lo = (v & 0x0F) + (((h >>> s0) & 1) << 4);
                int hi = (v >>> 4) + (((h >>> (s0 + 1)) & 1) << 4);
                out[y + l] = d1 * lo - m1;
                out[y + 32 + l] = d2 * hi - m2;
            }
        }
    }

    static void decodeQ6K(ByteBuffer b, int p, float[] out, int o) {
        float d = Dequantizer.scale(b, p + 208, GgmlType.Q6_K);
        for (int half = 0; half < 2; half++) {
            int ql = p + 64 * half;
            int qh = p + 128 + 32 * half;
            int sc = p + 192 + 8 * half;
            int y = o + 128 * half;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int lowA = b.get(ql + l) & 0xFF;
                int lowB = b.get(ql + l + 32) & 0xFF;
                int h = b.get(qh + l) & 0xFF;
                int q1 = ((lowA & 0x0F) | ((h & 3) << 4)) - 32;
                int q2 = ((lowB & 0x0F) | (((h >>> 2) & 3) << 4)) - 32;
                int q3 = ((lowA >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                int q4 = ((lowB >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                out[y + l] = d * b.get(sc + is) * q1;
                out[y + l + 32] = d * b.get(sc + is + 2) * q2;
                out[y + l + 64] = d * b.get(sc + is + 4) * q3;
                out[y + l + 96] = d * b.get(sc + is + 6) * q4;
            }
        }
    }

    private static int scale(ByteBuffer b, int s, int j) {
        if (j < 4) {
            return b.get(s + j) & 63;
        }
        return (b.get(s + j + 4) & 0x0F) | (((b.get(s + j - 4) & 0xFF) >>> 6) << 4);
    }

    private static int min(ByteBuffer b, int s, int j) {
        if (j < 4) {
            return b.get(s + j + 4) & 63;
        }
        return ((b.get(s + j + 4) & 0xFF) >>> 4) | (((b.get(s + j) & 0xFF) >>> 6) << 4);
    }
}
