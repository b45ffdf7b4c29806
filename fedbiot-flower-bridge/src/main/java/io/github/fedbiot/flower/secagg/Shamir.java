/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Shamir's secret sharing of one 16-byte block over GF(2^128), as pycryptodome's {@code Shamir.split(k, n,
 * secret, ssss=False)} and {@code Shamir.combine}: the secret is the constant term of a random polynomial of
 * degree k - 1, share i (1-based) is its value at the field element i. The k - 1 random coefficients are drawn
 * in pycryptodome's order (16 bytes each, highest degree first), so the same random bytes give the same shares.
 */
public final class Shamir {
    private Shamir() {}

    /**
     * Splits a block into n shares.
     *
     * @param k the shares needed to reconstruct (at least 1)
     * @param n the shares to make (at least k)
     * @param secret 16 bytes
     * @param random the source of the coefficients
     * @return n shares of 16 bytes; share i (0-based) belongs to index i + 1
     * @throws IllegalArgumentException if the sizes are wrong
     */
    public static List<byte[]> split(int k, int n, byte[] secret, SecureRandom random) {
        if (secret.length != 16 || k < 1 || n < k) {
            throw new IllegalArgumentException("Shamir.split needs a 16-byte secret and 1 <= k <= n, got k=" + k
                    + ", n=" + n + ", " + secret.length + " bytes");
        }
        List<Gf128> coeffs = new ArrayList<>(k);
        byte[] buf = new byte[16];
        for (int i = 0; i < k - 1; i++) {
            random.nextBytes(buf);
            coeffs.add(Gf128.decode(buf, 0));
        }
        coeffs.add(Gf128.decode(secret, 0));
        List<byte[]> shares = new ArrayList<>(n);
        for (int user = 1; user <= n; user++) {
            Gf128 idx = Gf128.of(user);
            Gf128 share = Gf128.ZERO;
            for (Gf128 c : coeffs) {
                share = idx.multiply(share).add(c); // Horner
            }
            byte[] out = new byte[16];
            share.encode(out, 0);
            shares.add(out);
        }
        return shares;
    }

    /**
     * Reconstructs the block from k shares by Lagrange interpolation at 0.
     *
     * @param indices the shares' indices (1-based, distinct)
     * @param shares the shares, 16 bytes each
     * @return the secret block
     * @throws IllegalArgumentException if an index repeats or sizes are wrong
     */
    public static byte[] combine(long[] indices, List<byte[]> shares) {
        int k = indices.length;
        if (shares.size() != k) {
            throw new IllegalArgumentException(k + " indices but " + shares.size() + " shares");
        }
        Gf128[] xs = new Gf128[k];
        Gf128[] ys = new Gf128[k];
        for (int j = 0; j < k; j++) {
            for (int m = 0; m < j; m++) {
                if (indices[m] == indices[j]) {
                    throw new IllegalArgumentException("Duplicate share");
                }
            }
            if (shares.get(j).length != 16) {
                throw new IllegalArgumentException("a share must be 16 bytes, got " + shares.get(j).length);
            }
            xs[j] = Gf128.of(indices[j]);
            ys[j] = Gf128.decode(shares.get(j), 0);
        }
        Gf128 result = Gf128.ZERO;
        for (int j = 0; j < k; j++) {
            Gf128 num = Gf128.ONE;
            Gf128 den = Gf128.ONE;
            for (int m = 0; m < k; m++) {
                if (m != j) {
                    num = num.multiply(xs[m]);
                    den = den.multiply(xs[j].add(xs[m]));
                }
            }
            result = result.add(ys[j].multiply(num).multiply(den.inverse()));
        }
        byte[] out = new byte[16];
        result.encode(out, 0);
        return out;
    }
}
