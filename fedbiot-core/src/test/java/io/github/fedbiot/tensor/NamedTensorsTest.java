/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedTensorsTest {

    private static Tensor t(float... v) {
        return new Tensor(new int[] {v.length}, v);
    }

    private static NamedTensors two(float a, float b) {
        return NamedTensors.builder().add("x", t(a, b)).add("y", new Tensor(new int[] {1, 1}, new float[] {a * b}))
                .build();
    }

    @Test
    void keepsInsertionOrder() {
        NamedTensors n = NamedTensors.builder().add("b", t(1)).add("a", t(2, 3)).add("c", t()).build();
        assertThat(n.names()).containsExactly("b", "a", "c");
        assertThat(n.size()).isEqualTo(3);
        assertThat(n.numel()).isEqualTo(3);
        assertThat(n.byteSize()).isEqualTo(12);
        assertThat(n.get("a").data()).containsExactly(2f, 3f);
        assertThat(n.contains("c")).isTrue();
        assertThat(NamedTensors.empty().isEmpty()).isTrue();
        assertThat(n.toString()).contains("[b, a, c]").contains("3 values");
    }

    @Test
    void isImmutable() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", t(1));
        NamedTensors n = NamedTensors.of(m);
        m.put("b", t(2));
        assertThat(n.names()).containsExactly("a");
        assertThatThrownBy(() -> n.asMap().put("c", t(3))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> n.names().remove("a")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsBadNamesAndDuplicates() {
        assertThatThrownBy(() -> NamedTensors.builder().add("a", t(1)).add("a", t(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate tensor name 'a'");
        assertThatThrownBy(() -> NamedTensors.builder().add("", t(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-empty");
        assertThatThrownBy(() -> NamedTensors.builder().add("a", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("a");
        assertThatThrownBy(() -> NamedTensors.empty().get("zz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no tensor named 'zz'");
    }

    @Test
    void weightedSumAccumulatesInDouble() {
        NamedTensors big = NamedTensors.builder().add("w", t(1e8f, 3f)).build();
        NamedTensors one = NamedTensors.builder().add("w", t(1f, 0.1f)).build();
        // 1e8 + 1 - 1e8 is 1 in double; float accumulation would give 0
        NamedTensors s = NamedTensors.weightedSum(List.of(big, one, big), new double[] {1, 1, -1});
        assertThat(s.get("w").data()[0]).isEqualTo(1f);
        assertThat(s.get("w").data()[1]).isEqualTo((float) (3.0 + 0.1f - 3.0));
    }

    @Test
    void weightedSumIsTheFedAvgMean() {
        NamedTensors a = two(1, 2);
        NamedTensors b = two(3, 4);
        NamedTensors mean = NamedTensors.weightedSum(List.of(a, b), new double[] {0.25, 0.75});
        assertThat(mean.names()).containsExactly("x", "y");
        assertThat(mean.get("x").data()).containsExactly(2.5f, 3.5f);
        assertThat(mean.get("y").data()).containsExactly(0.25f * 2 + 0.75f * 12);
        assertThat(mean.get("y").shape()).containsExactly(1, 1);
        // the inputs are unchanged
        assertThat(a.get("x").data()).containsExactly(1f, 2f);
    }

    @Test
    void weightedSumKeepsTheFirstItemsOrder() {
        NamedTensors a = NamedTensors.builder().add("p", t(1)).add("q", t(2)).build();
        NamedTensors b = NamedTensors.builder().add("q", t(20)).add("p", t(10)).build();
        NamedTensors s = NamedTensors.weightedSum(List.of(a, b), new double[] {1, 1});
        assertThat(s.names()).containsExactly("p", "q");
        assertThat(s.get("q").data()).containsExactly(22f);
    }

    @Test
    void weightedSumRejectsMismatchesNamingThem() {
        NamedTensors a = two(1, 2);
        assertThatThrownBy(() -> NamedTensors.weightedSum(List.of(a, a), new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 items and 1 weights");
        assertThatThrownBy(() -> NamedTensors.weightedSum(List.of(), new double[] {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedTensors.weightedSum(List.of(a, a), new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weightedSum: weight 1 is NaN");
        NamedTensors missing = NamedTensors.builder().add("x", t(1, 2)).build();
        assertThatThrownBy(() -> NamedTensors.weightedSum(List.of(a, missing), new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weightedSum item 1: missing tensor 'y'");
        NamedTensors extra = a.with(NamedTensors.builder().add("z", t(0)).build());
        assertThatThrownBy(() -> NamedTensors.weightedSum(List.of(a, extra), new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weightedSum item 1: unexpected tensor 'z'");
        NamedTensors reshaped = NamedTensors.builder().add("x", new Tensor(new int[] {2, 1}, new float[] {1, 2}))
                .add("y", new Tensor(new int[] {1, 1}, new float[] {1})).build();
        assertThatThrownBy(() -> NamedTensors.weightedSum(List.of(a, reshaped), new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weightedSum item 1: tensor 'x' has shape [2, 1], expected [2]");
        List<NamedTensors> withNull = new ArrayList<>();
        withNull.add(a);
        withNull.add(null);
        assertThatThrownBy(() -> NamedTensors.weightedSum(withNull, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weightedSum: item 1 is null");
    }

    @Test
    void layoutChecks() {
        NamedTensors a = two(1, 2);
        assertThat(a.sameLayout(two(5, 6))).isTrue();
        NamedTensors reordered = NamedTensors.builder().add("y", new Tensor(new int[] {1, 1}, new float[] {0}))
                .add("x", t(0, 0)).build();
        assertThat(a.sameLayout(reordered)).isTrue(); // order does not matter
        assertThat(a.sameLayout(a.filter("x"::equals))).isFalse();
        assertThat(a.sameLayout(NamedTensors.builder().add("x", t(1)).add("y", t(1)).build())).isFalse();
        a.requireSameLayout(reordered, "check");
        assertThatThrownBy(() -> a.requireSameLayout(a.filter("x"::equals), "aggregate"))
                .hasMessage("aggregate: missing tensor 'y'");
        assertThat(a.maxAbsDiff(two(1, 2.5f))).isEqualTo(0.5); // x differs by 0.5, y = a * b by 0.5
        assertThatThrownBy(() -> a.maxAbsDiff(a.filter("x"::equals))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAbsDiff");
    }

    @Test
    void filterAndWith() {
        NamedTensors a = NamedTensors.builder().add("l.0.lora_A", t(1)).add("l.0.lora_B", t(2)).add("l.1.lora_A", t(3))
                .build();
        NamedTensors onlyA = a.filter(n -> n.endsWith("lora_A"));
        assertThat(onlyA.names()).containsExactly("l.0.lora_A", "l.1.lora_A");
        assertThat(a.filter(n -> false).isEmpty()).isTrue();
        NamedTensors replaced = a.with(NamedTensors.builder().add("l.0.lora_B", t(20)).add("new", t(9)).build());
        assertThat(replaced.names()).containsExactly("l.0.lora_A", "l.0.lora_B", "l.1.lora_A", "new");
        assertThat(replaced.get("l.0.lora_B").data()).containsExactly(20f);
        assertThat(a.get("l.0.lora_B").data()).containsExactly(2f); // unchanged
    }

    @Test
    void finiteChecks() {
        assertThat(two(1, 2).isFinite()).isTrue();
        assertThat(two(1, Float.NaN).isFinite()).isFalse();
        assertThat(NamedTensors.builder().add("x", t(0, Float.NEGATIVE_INFINITY)).build().isFinite()).isFalse();
        assertThat(NamedTensors.empty().isFinite()).isTrue();
        assertThat(t(Float.MAX_VALUE).isFinite()).isTrue();
    }

    @Test
    void equalityIsByContent() {
        assertThat(two(1, 2)).isEqualTo(two(1, 2)).hasSameHashCodeAs(two(1, 2));
        assertThat(two(1, 2)).isNotEqualTo(two(1, 3));
        assertThat(t(1, 2).squaredNorm()).isEqualTo(5.0);
        assertThatThrownBy(() -> new Tensor(new int[] {2, 2}, new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 2] needs 4 values, got 3");
        assertThatThrownBy(() -> Tensor.zeros(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative dimension");
    }
}
