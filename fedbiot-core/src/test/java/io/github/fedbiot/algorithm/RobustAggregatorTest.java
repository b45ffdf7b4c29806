/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.config.AggregationConfig;
import io.github.fedbiot.config.AggregatorKind;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One poisoned client of four: its update (adapter minus broadcast) is an honest update scaled by -100. Each
 * robust rule keeps the aggregate within a stated distance of the honest clients' mean; FedAvg does not. A NaN
 * update never reaches an aggregator: the validator rejects it.
 */
class RobustAggregatorTest {
    private static final String A = "model.layers.3.self_attn.q_proj.lora_A.weight";
    private static final String B = "model.layers.3.self_attn.q_proj.lora_B.weight";
    private static final int[] SHAPE_A = {4, 16};
    private static final int[] SHAPE_B = {16, 4};

    private final Random random = new Random(20260);
    private final NamedTensors current = randomLora(1.0, null);
    /** Honest updates: the broadcast plus a shared drift plus per-client noise. */
    private final NamedTensors drift = randomLora(0.05, null);
    private final List<ClientUpdate> honest = List.of(honest("c0", 120), honest("c1", 80), honest("c2", 100));
    private final ClientUpdate poisoned = new ClientUpdate("evil", 100,
            plus(current, scaled(minus(honest.get(0).adapterLora(), current), -100)), Map.of());

    private NamedTensors randomLora(double scale, NamedTensors base) {
        NamedTensors.Builder b = NamedTensors.builder();
        for (var e : Map.of(A, SHAPE_A, B, SHAPE_B).entrySet()) {
            float[] d = new float[e.getValue()[0] * e.getValue()[1]];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (scale * random.nextGaussian() + (base == null ? 0 : base.get(e.getKey()).data()[i]));
            }
            b.add(e.getKey(), new Tensor(e.getValue(), d));
        }
        return b.build();
    }

    private ClientUpdate honest(String id, int n) {
        return new ClientUpdate(id, n, randomLora(0.01, plus(current, drift)), Map.of());
    }

    private static NamedTensors plus(NamedTensors x, NamedTensors y) {
        return NamedTensors.weightedSum(List.of(x, y), new double[] {1, 1});
    }

    private static NamedTensors minus(NamedTensors x, NamedTensors y) {
        return NamedTensors.weightedSum(List.of(x, y), new double[] {1, -1});
    }

    private static NamedTensors scaled(NamedTensors x, double s) {
        return NamedTensors.weightedSum(List.of(x), new double[] {s});
    }

    private NamedTensors honestMean() {
        return NamedTensors.weightedSum(honest.stream().map(ClientUpdate::adapterLora).toList(),
                new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
    }

    /** Largest distance of one honest coordinate from the honest mean: the spread the order statistics keep. */
    private double honestSpread() {
        NamedTensors mean = honestMean();
        return honest.stream().mapToDouble(u -> u.adapterLora().maxAbsDiff(mean)).max().orElseThrow();
    }

    private double maxHonestNorm() {
        return honest.stream().mapToDouble(u -> NormBoundAggregator.updateNorm(current, u.adapterLora())).max()
                .orElseThrow();
    }

    private List<ClientUpdate> all() {
        List<ClientUpdate> l = new ArrayList<>(honest);
        l.add(2, poisoned);
        return l;
    }

    private static double l2(NamedTensors x, NamedTensors y) {
        return NormBoundAggregator.updateNorm(x, y);
    }

    @Test
    void fedAvgIsDraggedFarFromTheHonestMean() {
        NamedTensors avg = new FedAvgAggregator().aggregate(current, all());
        // The poisoned client carries a quarter of the weight and a 100x update: ~25 honest norms away.
        assertThat(l2(avg, honestMean())).isGreaterThan(20 * maxHonestNorm());
    }

    @Test
    void medianStaysWithinTheHonestSpread() {
        NamedTensors m = new MedianAggregator().aggregate(current, all());
        // Three honest values of four: the median of each coordinate lies between two honest values.
        assertThat(m.maxAbsDiff(honestMean())).isLessThanOrEqualTo(honestSpread() + 1e-6);
        assertThat(l2(new FedAvgAggregator().aggregate(current, all()), honestMean()))
                .isGreaterThan(100 * l2(m, honestMean()));
    }

    @Test
    void trimmedMeanStaysWithinTheHonestSpread() {
        NamedTensors t = new TrimmedMeanAggregator(0.25).aggregate(current, all());
        // Dropping one value at each end of four removes the outlier: the mean of two honest values remains.
        assertThat(t.maxAbsDiff(honestMean())).isLessThanOrEqualTo(honestSpread() + 1e-6);
        assertThat(l2(new FedAvgAggregator().aggregate(current, all()), honestMean()))
                .isGreaterThan(100 * l2(t, honestMean()));
    }

    @Test
    void normBoundLimitsThePoisonedClientToItsShareOfTheBound() {
        double bound = maxHonestNorm();
        NamedTensors nb = new NormBoundAggregator(bound).aggregate(current, all());
        // Honest updates are not clipped; the poisoned one is scaled to norm B and carries weight 1/4:
        // ||agg - honest weighted mean|| <= w_evil * (B + ||honest weighted mean update||) <= B / 2.
        assertThat(l2(nb, honestMean())).isLessThanOrEqualTo(bound / 2);
        assertThat(l2(new FedAvgAggregator().aggregate(current, all()), honestMean())).isGreaterThan(40 * bound / 2);
    }

    @Test
    void normBoundLeavesSmallUpdatesAsFedAvgDoes() {
        NamedTensors nb = new NormBoundAggregator(1e6).aggregate(current, honest);
        assertThat(nb.maxAbsDiff(new FedAvgAggregator().aggregate(current, honest))).isLessThan(1e-6);
        assertThat(nb.names()).containsExactlyElementsOf(current.names());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        NamedTensors cur = one(0);
        List<ClientUpdate> three = List.of(upd("a", one(1)), upd("b", one(7)), upd("c", one(2)));
        assertThat(new MedianAggregator().aggregate(cur, three).get(A).data()[0]).isEqualTo(2f);
        List<ClientUpdate> four = List.of(upd("a", one(1)), upd("b", one(7)), upd("c", one(2)), upd("d", one(4)));
        assertThat(new MedianAggregator().aggregate(cur, four).get(A).data()[0]).isEqualTo(3f);
    }

    @Test
    void trimmedMeanCutsAsScipyTrimMean() {
        // scipy.stats.trim_mean([1, 2, 3, 4, 100], 0.2) == 3.0 (one value cut at each end).
        List<ClientUpdate> five = new ArrayList<>();
        for (int v : new int[] {100, 2, 4, 1, 3}) {
            five.add(upd("c" + v, one(v)));
        }
        assertThat(new TrimmedMeanAggregator(0.2).aggregate(one(0), five).get(A).data()[0]).isEqualTo(3f);
        // 0.1 * 5 = 0.5 cuts nothing: the plain mean.
        assertThat(new TrimmedMeanAggregator(0.1).aggregate(one(0), five).get(A).data()[0]).isEqualTo(22f);
    }

    @Test
    void noUpdateKeepsTheGlobalModel() {
        for (Aggregator a : List.of(new MedianAggregator(), new TrimmedMeanAggregator(0.2),
                new NormBoundAggregator(1))) {
            assertThat(a.aggregate(current, List.of())).isSameAs(current);
        }
    }

    @Test
    void aNanUpdateIsRejectedBeforeAggregation() {
        NamedTensors nan = NamedTensors.builder().add(A, new Tensor(SHAPE_A, new float[64]))
                .add(B, new Tensor(SHAPE_B, fill(64, Float.NaN))).build();
        UpdateValidator v = new UpdateValidator(Set.of(), 1000);
        assertThatThrownBy(() -> v.validate(new ClientUpdate("evil", 100, nan, Map.of()), current))
                .isInstanceOf(InvalidUpdateException.class).hasMessageContaining("NaN");
    }

    @Test
    void theConfiguredRuleBuildsItsAggregator() {
        assertThat(Aggregators.of(AggregationConfig.FEDAVG)).isInstanceOf(FedAvgAggregator.class);
        assertThat(Aggregators.of(AggregationConfig.of(AggregatorKind.MEDIAN, null, null)))
                .isInstanceOf(MedianAggregator.class);
        assertThat(Aggregators.of(AggregationConfig.of(AggregatorKind.TRIMMED_MEAN, 0.3, null)))
                .isInstanceOf(TrimmedMeanAggregator.class);
        assertThat(Aggregators.of(AggregationConfig.of(AggregatorKind.NORM_BOUND, null, 2.0)))
                .isInstanceOf(NormBoundAggregator.class);
    }

    private static float[] fill(int n, float v) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, v);
        return f;
    }

    private static NamedTensors one(float v) {
        return NamedTensors.builder().add(A, new Tensor(new int[] {1}, new float[] {v})).build();
    }

    private static ClientUpdate upd(String id, NamedTensors t) {
        return new ClientUpdate(id, 10, t, Map.of());
    }
}
