/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of a sample: median, quartiles (nearest rank), min, max and count. Benchmarks report the
 * median and the spread rather than the mean because a shared machine's noise is one-sided (a slow outlier,
 * never a fast one).
 *
 * @param median the median (mean of the two middle values for an even count)
 * @param p25 the first quartile
 * @param p75 the third quartile
 * @param min the smallest value
 * @param max the largest value
 * @param n the sample size
 */
public record Stats(double median, double p25, double p75, double min, double max, int n) {

    /**
     * Summarises values.
     *
     * @param values the sample, not empty
     * @return the statistics
     * @throws IllegalArgumentException if the sample is empty
     */
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        double med = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Stats(med, v[rank(0.25, n)], v[rank(0.75, n)], v[0], v[n - 1], n);
    }

    /**
     * Summarises values.
     *
     * @param values the sample, not empty
     * @return the statistics
     */
    public static Stats of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    private static int rank(double q, int n) {
        return Math.min(n - 1, Math.max(0, (int) Math.ceil(q * n) - 1));
    }

    /** Returns the relative spread {@code (p75 - p25) / median}. @return the spread */
    public double relativeIqr() {
        return median == 0 ? 0 : (p75 - p25) / median;
    }
}
