/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Random;

/**
 * Exact sampler of the discrete Gaussian {@code N_Z(0, sigma^2)} over the integers, for an integer sigma, by the
 * rejection algorithm of Canonne, Kamath and Steinke (2020), Algorithms 1-3: a discrete Laplace proposal with
 * scale {@code t = sigma + 1}, accepted with probability {@code exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2))}. Every
 * step uses only uniform integers and exact rational arithmetic, so no floating-point rounding shapes the output
 * distribution (the weakness of naive Box-Muller / inverse-CDF samplers shown by Mironov, CCS 2012).
 *
 * <pre>
 *   Bernoulli(exp(-g)), g = n/d in [0, 1]:  K = 1; while Bernoulli(g / K): K++;  return K is odd
 *   Bernoulli(exp(-g)), g > 1:              Bernoulli(exp(-1)) floor(g) times, then Bernoulli(exp(-(g - floor g)))
 * </pre>
 *
 * @see <a href="https://arxiv.org/abs/2004.00010">Canonne, Kamath, Steinke: The Discrete Gaussian for
 *     Differential Privacy (NeurIPS 2020)</a>
 */
public final class DiscreteGaussianSampler {
    private final Random random;
    private final long sigma;
    private final long t;
    private final BigInteger sigmaSq;
    private final BigInteger acceptDen;

    /**
     * Creates a sampler.
     *
     * @param random the uniform source ({@link java.security.SecureRandom} outside tests)
     * @param sigma the standard-deviation parameter, at least 1 and below 2^24
     */
    public DiscreteGaussianSampler(Random random, long sigma) {
        if (sigma < 1 || sigma >= (1L << 24)) {
            throw new IllegalArgumentException("sigma must be in [1, 2^24), got " + sigma);
        }
        this.random = Objects.requireNonNull(random, "random");
        this.sigma = sigma;
        this.t = sigma + 1;
        this.sigmaSq = BigInteger.valueOf(sigma).pow(2);
        this.acceptDen = sigmaSq.shiftLeft(1).multiply(BigInteger.valueOf(t).pow(2));
    }

    /** Returns sigma. @return it */
    public long sigma() {
        return sigma;
    }

    /** Draws one value of {@code N_Z(0, sigma^2)}. @return the integer */
    public long sample() {
        while (true) {
            long y = discreteLaplace();
            // gamma = (|y| - sigma^2/t)^2 / (2 sigma^2) = (|y| t - sigma^2)^2 / (2 sigma^2 t^2)
            BigInteger num = BigInteger.valueOf(Math.abs(y)).multiply(BigInteger.valueOf(t)).subtract(sigmaSq).pow(2);
            if (bernoulliExpNeg(num, acceptDen)) {
                return y;
            }
        }
    }

    /** CKS Algorithm 2: the discrete Laplace with scale t, {@code P(x) ~ exp(-|x| / t)}. */
    private long discreteLaplace() {
        while (true) {
            long u = random.nextLong(t);
            if (!bernoulliExpNeg(u, t)) {
                continue;
            }
            long v = 0;
            while (bernoulliExpNeg(1, 1)) {
                v++;
            }
            long x = u + t * v;
            boolean negative = random.nextBoolean();
            if (negative && x == 0) {
                continue;
            }
            return negative ? -x : x;
        }
    }

    /** Bernoulli(exp(-n/d)) for 0 <= n, 0 < d, in longs. */
    private boolean bernoulliExpNeg(long n, long d) {
        long whole = n / d;
        for (long i = 0; i < whole; i++) {
            if (!bernoulliExpNegAtMostOne(1, 1)) {
                return false;
            }
        }
        return bernoulliExpNegAtMostOne(n % d, d);
    }

    private boolean bernoulliExpNegAtMostOne(long n, long d) {
        long k = 1;
        while (bernoulli(n, Math.multiplyExact(d, k))) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(exp(-n/d)) for big n, d. */
    private boolean bernoulliExpNeg(BigInteger n, BigInteger d) {
        BigInteger[] qr = n.divideAndRemainder(d);
        for (long i = 0, whole = qr[0].longValueExact(); i < whole; i++) {
            if (!bernoulliExpNegAtMostOne(1, 1)) {
                return false;
            }
        }
        BigInteger k = BigInteger.ONE;
        while (bernoulli(qr[1], d.multiply(k))) {
            k = k.add(BigInteger.ONE);
        }
        return k.testBit(0);
    }

    /** Bernoulli(n/d) for 0 <= n <= d. */
    private boolean bernoulli(long n, long d) {
        return random.nextLong(d) < n;
    }

    private boolean bernoulli(BigInteger n, BigInteger d) {
        if (n.signum() == 0) {
            return false;
        }
        BigInteger u;
        do {
            u = new BigInteger(d.bitLength(), random);
        } while (u.compareTo(d) >= 0);
        return u.compareTo(n) < 0;
    }
}
