/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Renyi-DP accountant of the Poisson-subsampled Gaussian mechanism, composed over rounds, as Google's
 * {@code dp_accounting.rdp.RdpAccountant} computes it for integer orders. For sampling rate q and noise
 * multiplier z, the RDP of one round at integer order {@code a} is (Mironov, Talwar, Zhang 2019, Sec. 3.3)
 * <pre>
 *   eps_a = log( sum_{k=0..a} C(a, k) (1-q)^(a-k) q^k exp((k^2 - k) / (2 z^2)) ) / (a - 1)      (0 &lt; q &lt; 1)
 *   eps_a = a / (2 z^2)                                                                     (q = 1)
 * </pre>
 * T rounds compose to {@code T eps_a}; the conversion to (epsilon, delta) takes the best order of
 * <pre>
 *   epsilon = eps_a + log(1 - 1/a) - log(delta a) / (a - 1)
 * </pre>
 * (Canonne, Kamath, Steinke 2020, Prop. 12; dp-accounting's {@code compute_epsilon}).
 *
 * @see <a href="https://arxiv.org/abs/1908.10530">Mironov, Talwar, Zhang: Renyi Differential Privacy of the
 *     Sampled Gaussian Mechanism (2019)</a>
 */
public final class RdpAccountant {
    /** The integer orders of dp-accounting's {@code DEFAULT_RDP_ORDERS}: 2..63, 128, 256, 512, 1024. */
    public static final List<Integer> DEFAULT_ORDERS = IntStream.concat(IntStream.range(2, 64),
            IntStream.of(128, 256, 512, 1024)).boxed().toList();

    private final List<Integer> orders;

    /** Creates an accountant over {@link #DEFAULT_ORDERS}. */
    public RdpAccountant() {
        this(DEFAULT_ORDERS);
    }

    /**
     * Creates an accountant over some integer orders.
     *
     * @param orders orders, each at least 2
     */
    public RdpAccountant(List<Integer> orders) {
        if (orders.isEmpty() || orders.stream().anyMatch(a -> a < 2)) {
            throw new IllegalArgumentException("RDP orders must be integers >= 2, got " + orders);
        }
        this.orders = List.copyOf(orders);
    }

    /**
     * Returns epsilon after some rounds of the subsampled Gaussian mechanism.
     *
     * @param q the sampling rate in [0, 1]
     * @param z the noise multiplier, at least 0 (0: infinite epsilon)
     * @param rounds the rounds composed
     * @param delta the target delta in (0, 1)
     * @return epsilon, or {@code +Infinity} when no order gives a finite bound
     */
    public double epsilon(double q, double z, long rounds, double delta) {
        if (!(q >= 0 && q <= 1) || !(z >= 0) || rounds < 0 || !(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("need q in [0, 1], z >= 0, rounds >= 0, delta in (0, 1); got q=" + q
                    + ", z=" + z + ", rounds=" + rounds + ", delta=" + delta);
        }
        if (q == 0 || rounds == 0) {
            return 0;
        }
        if (z == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int a : orders) {
            double rdp = rounds * rdp(q, z, a);
            double eps;
            if (rdp < 0) {
                eps = 0; // numerical noise of extreme parameters, as dp-accounting
            } else if (delta * delta + Math.expm1(-rdp) > 0) {
                eps = 0; // the KL bound already gives delta
            } else {
                eps = rdp + Math.log1p(-1.0 / a) - Math.log(delta * a) / (a - 1);
            }
            best = Math.min(best, eps);
        }
        return Math.max(0, best);
    }

    /**
     * Returns the RDP of one round at an integer order.
     *
     * @param q the sampling rate in (0, 1]
     * @param z the noise multiplier, positive
     * @param a the order, at least 2
     * @return the RDP (may be {@code +Infinity})
     */
    static double rdp(double q, double z, int a) {
        if (q == 1) {
            return a / (2 * z * z);
        }
        double logA = Double.NEGATIVE_INFINITY;
        double logQ = Math.log(q);
        double log1mq = Math.log1p(-q);
        double logComb = 0; // log C(a, 0)
        for (int k = 0; k <= a; k++) {
            if (k > 0) {
                logComb += Math.log(a - k + 1) - Math.log(k);
            }
            double s = logComb + k * logQ + (a - k) * log1mq + ((double) k * k - k) / (2 * z * z);
            logA = logAdd(logA, s);
        }
        return logA / (a - 1);
    }

    private static double logAdd(double x, double y) {
        double lo = Math.min(x, y);
        double hi = Math.max(x, y);
        return lo == Double.NEGATIVE_INFINITY ? hi : Math.log1p(Math.exp(lo - hi)) + hi;
    }
}
