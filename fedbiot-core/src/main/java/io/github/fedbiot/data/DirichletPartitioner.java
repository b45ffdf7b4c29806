/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Label-skewed partition: for every category (in name order) the clients' shares are drawn from a symmetric
 * Dirichlet(alpha), and the category's shuffled examples are cut accordingly. Small alpha gives each client
 * few categories; large alpha approaches iid. Draws are repeated (up to 1000 times, continuing the same
 * generator) until every client holds at least one example.
 *
 * <p>Gamma variates come from Marsaglia and Tsang's method (ACM TOMS 26(3), 2000), with the
 * {@code Gamma(a) = Gamma(a + 1) * U^(1/a)} boost for {@code a < 1}; {@code Dir(alpha) = G / sum(G)}.
 */
public final class DirichletPartitioner implements Partitioner {
    private static final int MAX_DRAWS = 1000;

    private final int clients;
    private final double alpha;

    /**
     * Creates the partitioner.
     *
     * @param clients the number of clients
     * @param alpha the concentration, &gt; 0
     */
    public DirichletPartitioner(int clients, double alpha) {
        ConfigException.require(clients >= 1, "data.clients", clients, "must be >= 1");
        ConfigException.require(alpha > 0 && Double.isFinite(alpha), "data.dirichlet_alpha", alpha, "must be > 0");
        this.clients = clients;
        this.alpha = alpha;
    }

    /** {@inheritDoc} */
    @Override
    public List<List<InstructionExample>> partition(List<InstructionExample> examples, long seed) {
        ConfigException.require(examples.size() >= clients, "data.clients", clients,
                "must not exceed the " + examples.size() + " training examples");
        Map<String, List<InstructionExample>> byCategory = CategoryPartitioner.groupByCategory(examples);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            List<List<InstructionExample>> parts = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                parts.add(new ArrayList<>());
            }
            for (List<InstructionExample> cat : byCategory.values()) {
                List<InstructionExample> shuffled = Shuffle.copy(cat, rng);
                double[] p = dirichlet(rng);
                double cum = 0;
                int start = 0;
                for (int c = 0; c < clients; c++) {
                    cum += p[c];
                    int end = c == clients - 1 ? shuffled.size() : (int) Math.round(cum * shuffled.size());
                    end = Math.max(start, Math.min(shuffled.size(), end));
                    parts.get(c).addAll(shuffled.subList(start, end));
                    start = end;
                }
            }
            if (parts.stream().noneMatch(List::isEmpty)) {
                return parts.stream().map(List::copyOf).toList();
            }
        }
        throw new ConfigException("data.dirichlet_alpha", "no draw out of " + MAX_DRAWS + " gave all " + clients
                + " clients an example (found " + alpha + "); raise alpha or lower data.clients");
    }

    private double[] dirichlet(SplittableRandom rng) {
        double[] g = new double[clients];
        double sum = 0;
        for (int i = 0; i < clients; i++) {
            g[i] = gamma(alpha, rng);
            sum += g[i];
        }
        if (sum == 0) {
            // All variates underflowed (tiny alpha): put the whole category on one client.
            g[rng.nextInt(clients)] = 1;
            sum = 1;
        }
        for (int i = 0; i < clients; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /**
     * Draws from Gamma(shape, 1).
     *
     * @param shape the shape, &gt; 0
     * @param rng the generator
     * @return the variate
     */
    static double gamma(double shape, SplittableRandom rng) {
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(shape + 1, rng) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(rng);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double normal(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
