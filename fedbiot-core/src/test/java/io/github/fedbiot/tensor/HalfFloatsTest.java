/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Checks the 16-bit conversions against references written by {@code halffloat_reference.py} (Python's
 * {@code struct} for IEEE half, exact fractions for bfloat16) and by exhaustive properties.
 */
class HalfFloatsTest {

    @Test
    void f16WideningMatchesPythonStructForAll65536Patterns() throws IOException {
        byte[] ref;
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("f16_to_f32.bin.gz"))) {
            ref = in.readAllBytes();
        }
        assertThat(ref).hasSize(4 * 65536);
        ByteBuffer buf = ByteBuffer.wrap(ref).order(ByteOrder.LITTLE_ENDIAN);
        int nan = 0;
        for (int h = 0; h < 65536; h++) {
            float expected = buf.getFloat();
            float actual = HalfFloats.f16ToFloat((short) h);
            if (Float.isNaN(expected)) {
                assertThat(actual).as("pattern %04x", h).isNaN();
                nan++;
            } else {
                // bit equality: also distinguishes -0.0 from 0.0
                assertThat(Float.floatToRawIntBits(actual)).as("pattern %04x", h)
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
        assertThat(nan).isEqualTo(2 * 1023);
    }

    @Test
    void f16NanKeepsItsPayloadAndSign() {
        assertThat(Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x7E00))).isEqualTo(0x7FC00000);
        assertThat(Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0xFC01))).isEqualTo(0xFF802000);
    }

    @Test
    void bf16WideningIsTheUpperHalfForAll65536Patterns() {
        for (int b = 0; b < 65536; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            assertThat(Float.floatToRawIntBits(f)).isEqualTo(b << 16);
        }
    }

    @Test
    void narrowingMatchesThePythonReference() throws IOException {
        List<String> rows;
        try (InputStream in = getClass().getResourceAsStream("narrowing.txt")) {
            rows = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).lines()
                    .filter(l -> !l.startsWith("#")).toList();
        }
        assertThat(rows).hasSizeGreaterThan(7000);
        for (String row : rows) {
            String[] f = row.split(" ");
            float x = Float.intBitsToFloat(Integer.parseUnsignedInt(f[0], 16));
            assertThat(HalfFloats.floatToF16(x) & 0xFFFF).as("f16 of %s (%s)", x, f[0])
                    .isEqualTo(Integer.parseInt(f[1], 16));
            assertThat(HalfFloats.floatToBf16(x) & 0xFFFF).as("bf16 of %s (%s)", x, f[0])
                    .isEqualTo(Integer.parseInt(f[2], 16));
        }
    }

    @Test
    void everyHalfValueRoundTripsExactly() {
        for (int h = 0; h < 65536; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.floatToF16(f) & 0xFFFF).as("%04x", h).isEqualTo(h);
            }
            float b = HalfFloats.bf16ToFloat((short) h);
            if (!Float.isNaN(b)) {
                assertThat(HalfFloats.floatToBf16(b) & 0xFFFF).as("%04x", h).isEqualTo(h);
            }
        }
    }

    /** Every midpoint between adjacent finite halves, and its float neighbours, rounds as round-half-even says. */
    @Test
    void f16RoundsToNearestEvenAtEveryMidpoint() {
        for (int h = 0; h < 0x7C00; h++) {
            for (int sign : new int[] {0, 0x8000}) {
                int lo = sign | h;
                int hi = sign | (h + 1); // h + 1 == 0x7C00 is infinity, where 65520 and above go
                float a = HalfFloats.f16ToFloat((short) lo);
                float b = h + 1 == 0x7C00 ? Math.copySign(65536f, a == 0 ? (sign == 0 ? 1f : -1f) : a)
                        : HalfFloats.f16ToFloat((short) hi);
                float mid = (a + b) / 2; // exact: a half has 11 significant bits, a float 24
                assertThat((double) mid).isEqualTo(((double) a + b) / 2);
                int even = (lo & 1) == 0 ? lo : hi;
                assertThat(HalfFloats.floatToF16(mid) & 0xFFFF).as("midpoint above %04x", lo).isEqualTo(even);
                float towardLo = Math.nextAfter(mid, a);
                float towardHi = Math.nextAfter(mid, b);
                assertThat(HalfFloats.floatToF16(towardLo) & 0xFFFF).as("below midpoint of %04x", lo).isEqualTo(lo);
                assertThat(HalfFloats.floatToF16(towardHi) & 0xFFFF).as("above midpoint of %04x", lo).isEqualTo(hi);
            }
        }
    }

    @Test
    void bf16RoundsToNearestEvenAtEveryMidpoint() {
        for (int b = 0; b < 0x7F80; b++) {
            for (int sign : new int[] {0, 0x8000}) {
                int lo = sign | b;
                int midBits = (lo << 16) | 0x8000;
                int even = (lo & 1) == 0 ? lo : lo + 1;
                float mid = Float.intBitsToFloat(midBits);
                assertThat(HalfFloats.floatToBf16(mid) & 0xFFFF).as("midpoint above %04x", lo).isEqualTo(even);
                assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(midBits - 1)) & 0xFFFF).isEqualTo(lo);
                assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(midBits + 1)) & 0xFFFF).isEqualTo(lo + 1);
            }
        }
    }

    @Test
    void specialValues() {
        assertThat(HalfFloats.floatToF16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7C00);
        assertThat(HalfFloats.floatToF16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xFC00);
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))).isNaN();
        assertThat(HalfFloats.floatToF16(-0.0f)).isEqualTo((short) 0x8000);
        assertThat(HalfFloats.floatToF16(70000f)).isEqualTo((short) 0x7C00); // overflow
        assertThat(HalfFloats.floatToF16(Float.MAX_VALUE)).isEqualTo((short) 0x7C00);
        assertThat(HalfFloats.floatToF16(Float.MIN_VALUE)).isEqualTo((short) 0); // underflow to zero
        assertThat(HalfFloats.floatToF16(-Float.MIN_VALUE)).isEqualTo((short) 0x8000);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f); // smallest subnormal
        assertThat(HalfFloats.f16ToFloat((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f); // largest subnormal
        assertThat(HalfFloats.f16ToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(HalfFloats.floatToBf16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
        assertThat(HalfFloats.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7F80); // rounds up to infinity
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))).isNaN();
        // a NaN whose payload lies only in the low 16 bits must stay NaN, not become infinity
        float lowNan = Float.intBitsToFloat(0x7F800001);
        assertThat(lowNan).isNaN();
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(lowNan))).isNaN();
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(lowNan))).isNaN();
        assertThat(HalfFloats.floatToBf16(Float.MIN_VALUE)).isEqualTo((short) 0); // float subnormal to bf16 zero
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x00018000))).isEqualTo((short) 0x0002); // tie, even
    }
}
