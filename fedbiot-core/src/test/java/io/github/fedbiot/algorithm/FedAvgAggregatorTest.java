/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FedAvgAggregatorTest {
    private static final String A = "model.layers.3.self_attn.q_proj.lora_A.weight";
    private static final String B = "model.layers.3.self_attn.q_proj.lora_B.weight";

    private static NamedTensors lora(float a, float b) {
        return NamedTensors.builder().add(A, new Tensor(new int[] {2, 2}, new float[] {a, a, a, a}))
                .add(B, new Tensor(new int[] {2, 2}, new float[] {b, b, b, b})).build();
    }

    private static ClientUpdate update(String id, int n, NamedTensors t) {
        return new ClientUpdate(id, n, t, Map.of());
    }

    @Test
    void weightsBySamples() {
        NamedTensors avg = new FedAvgAggregator().aggregate(lora(0, 0),
                List.of(update("a", 1, lora(1, 10)), update("b", 3, lora(5, 2))));
        // (1*1 + 3*5)/4 = 4 ; (1*10 + 3*2)/4 = 4
        assertThat(avg.get(A).data()).containsOnly(4f);
        assertThat(avg.get(B).data()).containsOnly(4f);
        assertThat(List.copyOf(avg.names())).containsExactly(A, B);
    }

    @Test
    void equalSamplesGiveThePlainMean() {
        NamedTensors avg = new FedAvgAggregator().aggregate(lora(0, 0),
                List.of(update("a", 10, lora(1, 2)), update("b", 10, lora(3, 4)), update("c", 10, lora(5, 6))));
        assertThat(avg.get(A).data()).containsOnly(3f);
        assertThat(avg.get(B).data()).containsOnly(4f);
    }

    @Test
    void noUpdateKeepsTheGlobalModel() {
        NamedTensors cur = lora(7, 8);
        assertThat(new FedAvgAggregator().aggregate(cur, List.of())).isSameAs(cur);
    }

    @Test
    void validatorRejectsUnknownMissingMisshapedAndNonFinite() {
        UpdateValidator v = new UpdateValidator(Set.of("a", "b"), 1000);
        NamedTensors expected = lora(0, 0);
        v.validate(update("a", 5, lora(1, 1)), expected);
        NamedTensors extra = lora(1, 1).with(NamedTensors.builder().add("model.layers.9.evil", Tensor.zeros(1)).build());
        assertThatThrownBy(() -> v.validate(update("a", 5, extra), expected)).isInstanceOf(InvalidUpdateException.class)
                .hasMessageContaining("unknown tensor 'model.layers.9.evil'").hasMessageContaining("client 'a'");
        NamedTensors missing = lora(1, 1).filter(n -> n.equals(A));
        assertThatThrownBy(() -> v.validate(update("a", 5, missing), expected)).hasMessageContaining("missing tensor");
        NamedTensors shape = NamedTensors.builder().add(A, Tensor.zeros(2, 3)).add(B, Tensor.zeros(2, 2)).build();
        assertThatThrownBy(() -> v.validate(update("a", 5, shape), expected)).hasMessageContaining("has shape [2, 3]");
        assertThatThrownBy(() -> v.validate(update("a", 5, lora(Float.NaN, 1)), expected)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> v.validate(update("a", 5, lora(1, Float.POSITIVE_INFINITY)), expected))
                .hasMessageContaining("infinite");
        assertThatThrownBy(() -> v.validate(update("z", 5, lora(1, 1)), expected)).hasMessageContaining("unknown client");
        assertThatThrownBy(() -> v.validate(update("a", 0, lora(1, 1)), expected)).hasMessageContaining("sample count");
        assertThatThrownBy(() -> v.validate(update("a", 5000, lora(1, 1)), expected))
                .hasMessageContaining("sample count");
    }
}
