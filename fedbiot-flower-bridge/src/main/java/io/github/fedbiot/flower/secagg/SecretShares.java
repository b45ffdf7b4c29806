/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Secret shares of any length, as flwr's {@code crypto.shamir.create_shares} / {@code combine_shares}: the secret
 * is padded (PKCS#7) to a multiple of 16 bytes, each 16-byte chunk is split by {@link Shamir}, and share i is
 * {@code <index, 4 bytes little endian><share of chunk 1>...<share of chunk N>}.
 */
public final class SecretShares {
    private SecretShares() {}

    /**
     * Splits a secret.
     *
     * @param secret the secret
     * @param threshold the shares needed to reconstruct
     * @param num the shares to make
     * @param random the source of the polynomials
     * @return num shares, the i-th (0-based) with index i + 1
     */
    public static List<byte[]> create(byte[] secret, int threshold, int num, SecureRandom random) {
        int padLen = 16 - secret.length % 16;
        byte[] padded = Arrays.copyOf(secret, secret.length + padLen);
        Arrays.fill(padded, secret.length, padded.length, (byte) padLen);
        List<ByteArrayOutputStream> out = new ArrayList<>(num);
        for (int i = 1; i <= num; i++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream(4 + padded.length);
            b.write(i);
            b.write(i >>> 8);
            b.write(i >>> 16);
            b.write(i >>> 24);
            out.add(b);
        }
        for (int off = 0; off < padded.length; off += 16) {
            List<byte[]> chunk = Shamir.split(threshold, num, Arrays.copyOfRange(padded, off, off + 16), random);
            for (int i = 0; i < num; i++) {
                out.get(i).writeBytes(chunk.get(i));
            }
        }
        Arrays.fill(padded, (byte) 0);
        return out.stream().map(ByteArrayOutputStream::toByteArray).toList();
    }

    /**
     * Reconstructs a secret from at least threshold shares (exactly threshold, as pycryptodome expects).
     *
     * @param shares the shares
     * @return the secret
     * @throws IllegalArgumentException if the shares are malformed or do not reconstruct a padded secret
     */
    public static byte[] combine(List<byte[]> shares) {
        int len = shares.get(0).length;
        if (len < 20 || (len - 4) % 16 != 0 || shares.stream().anyMatch(s -> s.length != len)) {
            throw new IllegalArgumentException("Failed to combine shares: malformed share lengths");
        }
        long[] idx = new long[shares.size()];
        for (int i = 0; i < idx.length; i++) {
            byte[] s = shares.get(i);
            idx[i] = (s[0] & 0xffL) | (s[1] & 0xffL) << 8 | (s[2] & 0xffL) << 16 | (s[3] & 0xffL) << 24;
        }
        byte[] padded = new byte[len - 4];
        for (int off = 0; off < padded.length; off += 16) {
            int start = 4 + off;
            List<byte[]> chunk = shares.stream().map(s -> Arrays.copyOfRange(s, start, start + 16)).toList();
            System.arraycopy(Shamir.combine(idx, chunk), 0, padded, off, 16);
        }
        int pad = padded[padded.length - 1] & 0xff;
        if (pad < 1 || pad > 16) {
            throw new IllegalArgumentException("Failed to combine shares");
        }
        for (int i = padded.length - pad; i < padded.length; i++) {
            if ((padded[i] & 0xff) != pad) {
                throw new IllegalArgumentException("Failed to combine shares");
            }
        }
        return Arrays.copyOf(padded, padded.length - pad);
    }
}
