/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.algorithm.Aggregator;
import io.github.fedbiot.algorithm.ClientRoundConfig;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.FedAvgAggregator;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.config.PrivacyConfig;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.metrics.PrivacyStats;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientLevelDpTest {
    static final NamedTensors ZERO = vec(0, 0);

    static NamedTensors vec(float a, float b) {
        return NamedTensors.builder().add("w", new Tensor(new int[] {2}, new float[] {a, b})).build();
    }

    static PrivacyConfig config(String mechanism, String clipping, String side, double c, double z) {
        return new PrivacyConfig(mechanism, clipping, side, c, z, 0.5, 0.2, null, 1e-5, 11L);
    }

    static ClientUpdate update(String id, int samples, NamedTensors lora) {
        return new ClientUpdate(id, samples, lora, Map.of());
    }

    @Test
    void centralFixedClippingAveragesClippedUpdatesOverTheSampledCount() {
        ClientLevelDp dp = new ClientLevelDp(config("central", "fixed", "server", 1.0, 0), 3, 6);
        Aggregator agg = dp.aggregator(new FedAvgAggregator());
        // (3, 4) is clipped to (0.6, 0.8); (0.5, 0) is kept; the third sampled client dropped out: m = 3 stays
        NamedTensors out = agg.aggregate(ZERO, List.of(update("a", 100, vec(3, 4)), update("b", 1, vec(0.5f, 0))));
        assertThat(out.get("w").data()[0]).isCloseTo((0.6f + 0.5f) / 3, within(1e-6f));
        assertThat(out.get("w").data()[1]).isCloseTo(0.8f / 3, within(1e-6f));
        PrivacyStats s = dp.report(1);
        assertThat(s.clippedUpdates()).isEqualTo(1);
        assertThat(s.clippingNorm()).isEqualTo(1.0);
        assertThat(s.epsilon()).isInfinite(); // z = 0
    }

    @Test
    void centralNoiseHasStddevZCOverM() {
        int n = 20_000;
        ClientLevelDp dp = new ClientLevelDp(config("central", "fixed", "server", 0.5, 2.0), 4, 8);
        NamedTensors zeros = NamedTensors.builder().add("w", Tensor.zeros(n)).build();
        NamedTensors out = dp.aggregator(new FedAvgAggregator()).aggregate(zeros, List.of());
        double sq = 0;
        for (float v : out.get("w").data()) {
            sq += (double) v * v;
        }
        assertThat(Math.sqrt(sq / n)).isCloseTo(2.0 * 0.5 / 4, within(0.01));
        assertThat(dp.report(1).noiseStddev()).isEqualTo(0.25);
        double eps = dp.report(10).epsilon();
        assertThat(eps).isCloseTo(new RdpAccountant().epsilon(0.5,
                LatticeGaussianNoise.effectiveNoiseMultiplier(2.0, n), 10, 1e-5), within(1e-12));
    }

    @Test
    void adaptiveClippingMovesTheNormTowardsTheQuantile() {
        PrivacyConfig c = new PrivacyConfig("central", "adaptive", "server", 1.0, 0, 0.5, 0.2, 0.0, 1e-5, 1L);
        ClientLevelDp dp = new ClientLevelDp(c, 2, 2);
        Aggregator agg = dp.aggregator(new FedAvgAggregator());
        agg.aggregate(ZERO, List.of(update("a", 1, vec(3, 4)), update("b", 1, vec(4, 3)))); // both clipped
        assertThat(dp.clippingNorm()).isCloseTo(Math.exp(-0.2 * (1 - 0.5)), within(1e-12));
        agg.aggregate(ZERO, List.of(update("a", 1, vec(0, 0)), update("b", 1, vec(0, 0)))); // none clipped
        assertThat(dp.clippingNorm()).isCloseTo(1.0, within(1e-12));
        assertThat(dp.report(2).nextClippingNorm()).isEqualTo(dp.clippingNorm());
    }

    @Test
    void adaptiveSplitsTheNoiseAsFlowerDoes() {
        PrivacyConfig c = new PrivacyConfig("central", "adaptive", "server", 0.1, 1.0, 0.5, 0.2, null, 1e-5, 1L);
        // flwr compute_adaptive_noise_params: s_b = m / 20 = 1, z_u = (1 - 1/4)^-1/2
        assertThat(new ClientLevelDp(c, 20, 40).updateNoiseMultiplier()).isCloseTo(Math.pow(0.75, -0.5),
                within(1e-12));
        ConfigException e = assertThrows(() -> new ClientLevelDp(c, 10, 40));
        assertThat(e.key()).isEqualTo("privacy.clipped_count_stddev");
    }

    @Test
    void localDpClipsAndNoisesOnTheClientAndTheServerDoesNotReclip() {
        ClientLevelDp dp = new ClientLevelDp(config("local", "fixed", "client", 1.0, 1.0), 2, 2);
        RoundMessage msg = new RoundMessage(1, ZERO, NamedTensors.empty(), new ClientRoundConfig(List.of(0),
                LoraSpec.DEFAULT, OptimizerConfig.DEFAULT, 1, 1, 1, 0, false, 0));
        ClientUpdate sent = dp.clientTransform().apply(msg, update("a", 5, vec(30, 40)));
        assertThat(sent.metric(ClientLevelDp.NORM_BIT)).isEqualTo(1.0);
        assertThat(sent.adapterLora()).isNotEqualTo(vec(0.6f, 0.8f)); // noised with stddev z C = 1
        assertThat(dp.clientTransform().apply(msg, update("a", 5, vec(30, 40))).adapterLora())
                .as("seeded per client and round").isEqualTo(sent.adapterLora());
        NamedTensors out = dp.aggregator(new FedAvgAggregator()).aggregate(ZERO, List.of(sent, sent));
        assertThat(out.get("w").data()[0]).isCloseTo(sent.adapterLora().get("w").data()[0], within(1e-6f));
        assertThat(dp.report(3).epsilon()).isCloseTo(new RdpAccountant().epsilon(1.0,
                LatticeGaussianNoise.effectiveNoiseMultiplier(1.0, 2), 3, 1e-5), within(1e-12));
    }

    @Test
    void configRefusesWhatItCannotDo() {
        assertThat(assertThrows(() -> config("local", "fixed", "server", 1, 1)).key())
                .isEqualTo("privacy.clipping_side");
        assertThat(assertThrows(() -> config("local", "adaptive", "client", 1, 1)).key())
                .isEqualTo("privacy.clipping");
        assertThat(assertThrows(() -> config("gaussian", "fixed", "server", 1, 1)).key())
                .isEqualTo("privacy.mechanism");
        assertThat(assertThrows(() -> config("central", "fixed", "server", 0, 1)).key())
                .isEqualTo("privacy.clipping_norm");
        assertThat(config("central", "fixed", "server", 1, 1).toString()).doesNotContain("11");
    }

    private static ConfigException assertThrows(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
