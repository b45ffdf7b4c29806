/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.fedbiot.engine.GenerationConfig;
import org.junit.jupiter.api.Test;

/** Token choice on the heap: greedy, temperature, top-k, top-p and seeding. */
class TokenSamplerTest {
    private static final float[] LOGITS = {0f, (float) Math.log(3), -1f, -30f, 2f};

    private static double frequency(GenerationConfig c, int token, int draws) {
        TokenSampler s = new TokenSampler(c);
        int hits = 0;
        for (int i = 0; i < draws; i++) {
            hits += s.next(LOGITS) == token ? 1 : 0;
        }
        return (double) hits / draws;
    }

    @Test
    void greedyAndItsLimitsPickTheArgMax() {
        assertThat(new TokenSampler(GenerationConfig.greedy(1)).next(LOGITS)).isEqualTo(4);
        assertThat(frequency(new GenerationConfig(1, 1.0, 1, 1, 5, true), 4, 200)).isEqualTo(1.0);
        assertThat(frequency(new GenerationConfig(1, 1.0, 0, 0.01, 5, true), 4, 200)).isEqualTo(1.0);
    }

    @Test
    void samplesFromTheSoftmaxRestrictedToTopK() {
        // top-2 keeps ids 4 (logit 2) and 1 (logit ln 3): p(1) = 3 / (3 + e^2)
        double expected = 3 / (3 + Math.exp(2));
        assertThat(frequency(new GenerationConfig(1, 1.0, 2, 1, 9, true), 1, 20000)).isCloseTo(expected,
                within(0.015));
        assertThat(frequency(new GenerationConfig(1, 1.0, 2, 1, 9, true), 0, 2000)).isZero();
        // no restriction: p(0) = 1 / (1 + 3 + e^-1 + e^-30 + e^2)
        double p0 = 1 / (1 + 3 + Math.exp(-1) + Math.exp(-30) + Math.exp(2));
        assertThat(frequency(new GenerationConfig(1, 1.0, 0, 1, 10, true), 0, 20000)).isCloseTo(p0, within(0.015));
    }

    @Test
    void theSameSeedRepeatsTheDraws() {
        GenerationConfig c = new GenerationConfig(1, 1.3, 0, 0.9, 77, true);
        TokenSampler a = new TokenSampler(c);
        TokenSampler b = new TokenSampler(c);
        for (int i = 0; i < 50; i++) {
            assertThat(a.next(LOGITS)).isEqualTo(b.next(LOGITS));
        }
    }
}
