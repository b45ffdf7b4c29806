/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.config.FederationConfig;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {
    private static final List<String> IDS = IntStream.range(0, 10).mapToObj(i -> "client-0" + i).toList();

    @Test
    void sizesFollowCountOrFraction() {
        assertThat(new ClientSampler(new FederationConfig(1, 0.3, 0, 0, 0), 1).sample(IDS, 1)).hasSize(3);
        assertThat(new ClientSampler(new FederationConfig(1, 1.0, 4, 0, 0), 1).sample(IDS, 1)).hasSize(4);
        assertThat(new ClientSampler(new FederationConfig(1, 0.01, 0, 0, 0), 1).sample(IDS, 1)).hasSize(1);
        assertThat(new ClientSampler(new FederationConfig(1, 1.0, 0, 0, 0), 1).sample(IDS, 1)).isEqualTo(IDS);
    }

    @Test
    void samplingDependsOnlyOnSeedAndRound() {
        ClientSampler a = new ClientSampler(new FederationConfig(5, 0.5, 0, 0, 0), 7);
        ClientSampler b = new ClientSampler(new FederationConfig(5, 0.5, 0, 0, 0), 7);
        assertThat(a.sample(IDS, 3)).isEqualTo(b.sample(IDS, 3)).doesNotHaveDuplicates();
        long distinct = IntStream.rangeClosed(1, 20).mapToObj(r -> a.sample(IDS, r)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void dropoutRateIsAboutTheProbability() {
        ClientSampler s = new ClientSampler(new FederationConfig(1, 1, 0, 0.3, 0), 11);
        int drops = 0;
        for (int r = 1; r <= 1000; r++) {
            for (String id : IDS) {
                drops += s.dropsOut(id, r) ? 1 : 0;
            }
        }
        assertThat(drops / 10000.0).isBetween(0.27, 0.33);
        assertThat(s.dropsOut("client-01", 5)).isEqualTo(s.dropsOut("client-01", 5));
        assertThat(new ClientSampler(FederationConfig.DEFAULT, 1).dropsOut("client-01", 1)).isFalse();
    }
}
