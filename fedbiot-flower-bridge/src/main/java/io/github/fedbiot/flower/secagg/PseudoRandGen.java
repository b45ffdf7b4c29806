/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.util.ArrayList;
import java.util.List;

/**
 * The mask generator of SecAgg+ ({@code secaggplus_utils.pseudo_rand_gen}): the seed's 4-byte little-endian
 * words are XORed into a 32-bit seed of {@link NumpyRandomState}, which draws each array of the update in turn
 * from [0, numRange - 1) ({@code randint(0, num_range - 1)}: the top value never occurs, as in flwr).
 */
public final class PseudoRandGen {
    private PseudoRandGen() {}

    /**
     * Generates one mask per shape.
     *
     * @param seed the seed (a multiple of 4 bytes: the 32-byte mask seed or a 44-byte shared key)
     * @param numRange the modulus
     * @param sizes the element count of each array, in order
     * @return the masks
     * @throws IllegalArgumentException if the seed is not a multiple of 4 bytes
     */
    public static List<long[]> generate(byte[] seed, long numRange, List<Integer> sizes) {
        if ((seed.length & 3) != 0) {
            throw new IllegalArgumentException("the mask seed must be a multiple of 4 bytes, got " + seed.length);
        }
        long seed32 = 0;
        for (int i = 0; i < seed.length; i += 4) {
            seed32 ^= (seed[i] & 0xffL) | (seed[i + 1] & 0xffL) << 8 | (seed[i + 2] & 0xffL) << 16
                    | (seed[i + 3] & 0xffL) << 24;
        }
        NumpyRandomState gen = new NumpyRandomState(seed32);
        List<long[]> out = new ArrayList<>(sizes.size());
        for (int n : sizes) {
            out.add(gen.randint(0, numRange - 1, n));
        }
        return out;
    }
}
