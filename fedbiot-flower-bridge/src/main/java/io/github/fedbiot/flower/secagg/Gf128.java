/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

/**
 * An element of GF(2^128) with the representation of pycryptodome's {@code Crypto.Protocol.SecretSharing
 * ._Element}: modulus {@code x^128 + x^7 + x^2 + x + 1}, bit i of the 128-bit integer is the coefficient of
 * {@code x^i}, encoded as 16 big-endian bytes. (GCM's GHASH uses the same field with reflected bits, which is
 * why no library multiplier fits as it is.) Multiplication runs in time independent of the operands' values.
 *
 * @param hi the coefficients of {@code x^64 .. x^127}
 * @param lo the coefficients of {@code x^0 .. x^63}
 */
record Gf128(long hi, long lo) {
    static final Gf128 ZERO = new Gf128(0, 0);
    static final Gf128 ONE = new Gf128(0, 1);
    private static final long REDUCTION = 0x87L; // x^7 + x^2 + x + 1

    static Gf128 of(long small) {
        return new Gf128(0, small);
    }

    static Gf128 decode(byte[] b, int off) {
        long h = 0;
        long l = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (b[off + i] & 0xff);
            l = (l << 8) | (b[off + 8 + i] & 0xff);
        }
        return new Gf128(h, l);
    }

    void encode(byte[] out, int off) {
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (hi >>> (56 - 8 * i));
            out[off + 8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
    }

    Gf128 add(Gf128 o) {
        return new Gf128(hi ^ o.hi, lo ^ o.lo);
    }

    /** Shift-and-add: z += v where the factor's bit is set, v *= x modulo the polynomial, with masks not branches. */
    Gf128 multiply(Gf128 o) {
        long zh = 0;
        long zl = 0;
        long vh = hi;
        long vl = lo;
        for (int i = 0; i < 128; i++) {
            long bit = i < 64 ? (o.lo >>> i) & 1 : (o.hi >>> (i - 64)) & 1;
            long m = -bit;
            zh ^= vh & m;
            zl ^= vl & m;
            long carry = -(vh >>> 63);
            vh = (vh << 1) | (vl >>> 63);
            vl = (vl << 1) ^ (REDUCTION & carry);
        }
        return new Gf128(zh, zl);
    }

    /** Returns the inverse as {@code a^(2^128 - 2)} (Fermat), since the multiplicative group has order 2^128 - 1. */
    Gf128 inverse() {
        if (hi == 0 && lo == 0) {
            throw new ArithmeticException("Inversion of zero");
        }
        Gf128 result = ONE;
        Gf128 power = this;
        for (int i = 1; i < 128; i++) {
            power = power.multiply(power); // a^(2^i)
            result = result.multiply(power);
        }
        return result;
    }
}
