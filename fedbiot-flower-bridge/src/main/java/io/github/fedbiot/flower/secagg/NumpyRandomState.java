/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

/**
 * NumPy's legacy {@code numpy.random.RandomState(seed)} as far as SecAgg+ uses it: the MT19937 generator seeded
 * by {@code init_genrand} with a 32-bit seed, and {@code randint(low, high, size, dtype=int64)}, which draws each
 * value by masked rejection sampling ({@code buffered_bounded_masked_uint32} for a range below 2^32, else
 * {@code bounded_masked_uint64}, two 32-bit outputs, the first the high word). SecAgg+ masks are only as
 * compatible as these bits, so this follows NumPy's C code step for step. Not thread-safe; not a
 * cryptographic generator (neither is NumPy's: the protocol's secrecy rests on the seeds).
 *
 * @see <a href="https://doi.org/10.1145/272991.272995">Matsumoto and Nishimura, Mersenne Twister (1998)</a>
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos;

    /**
     * Seeds the generator as {@code RandomState(seed)}.
     *
     * @param seed a value in [0, 2^32)
     * @throws IllegalArgumentException if out of range
     */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("Seed must be between 0 and 2**32 - 1, got " + seed);
        }
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            mt[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
    }

    /**
     * Returns the next 32-bit output.
     *
     * @return 32 random bits as an unsigned value
     */
    public long nextUint32() {
        if (pos == N) {
            regenerate();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void regenerate() {
        int i = 0;
        for (; i < N - M; i++) {
            int y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
            mt[i] = mt[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        for (; i < N - 1; i++) {
            int y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
            mt[i] = mt[i + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        int y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        pos = 0;
    }

    /**
     * Fills values as {@code randint(low, high, count, dtype=np.int64)}: uniform in [low, high).
     *
     * @param low the smallest value
     * @param high one above the largest value (greater than low)
     * @param count how many
     * @return the values
     * @throws IllegalArgumentException if the range is empty
     */
    public long[] randint(long low, long high, int count) {
        if (high <= low) {
            throw new IllegalArgumentException("low >= high: " + low + " >= " + high);
        }
        long rng = high - 1 - low; // NumPy: rng = high - low with high made inclusive
        long[] out = new long[count];
        if (rng == 0) {
            java.util.Arrays.fill(out, low);
            return out;
        }
        long mask = mask(rng);
        for (int i = 0; i < count; i++) {
            long v;
            if (Long.compareUnsigned(rng, 0xffffffffL) < 0) {
                do {
                    v = nextUint32() & mask;
                } while (v > rng);
            } else if (rng == 0xffffffffL) {
                v = nextUint32();
            } else {
                do {
                    v = ((nextUint32() << 32) | nextUint32()) & mask;
                } while (Long.compareUnsigned(v, rng) > 0);
            }
            out[i] = low + v;
        }
        return out;
    }

    /** The smallest all-ones bit mask not below {@code max} ({@code gen_mask}). */
    private static long mask(long max) {
        long m = max;
        m |= m >>> 1;
        m |= m >>> 2;
        m |= m >>> 4;
        m |= m >>> 8;
        m |= m >>> 16;
        m |= m >>> 32;
        return m;
    }
}
