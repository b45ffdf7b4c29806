/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    /** 4 categories of 50 examples each, every example unique. */
    private static List<InstructionExample> examples() {
        List<InstructionExample> out = new ArrayList<>();
        for (String cat : List.of("d", "b", "a", "c")) {
            for (int i = 0; i < 50; i++) {
                out.add(new InstructionExample("q" + cat + i, "", "a" + i, cat));
            }
        }
        return out;
    }

    @Test
    void iidDealsEvenlyAndDeterministically() {
        List<List<InstructionExample>> p = new IidPartitioner(3).partition(examples(), 5);
        assertThat(p).extracting(List::size).containsExactly(67, 67, 66);
        assertThat(p).isEqualTo(new IidPartitioner(3).partition(examples(), 5));
        assertThat(p).isNotEqualTo(new IidPartitioner(3).partition(examples(), 6));
        assertCoversExactly(p, examples());
        // iid: every client sees several categories
        for (List<InstructionExample> c : p) {
            assertThat(c.stream().map(InstructionExample::category).distinct().count()).isEqualTo(4);
        }
    }

    @Test
    void categoryGivesOnePureClientPerCategoryInNameOrder() {
        List<List<InstructionExample>> p = new CategoryPartitioner().partition(examples(), 1);
        assertThat(p).hasSize(4);
        assertThat(p).extracting(c -> c.get(0).category()).containsExactly("a", "b", "c", "d");
        for (List<InstructionExample> c : p) {
            assertThat(c).hasSize(50);
            assertThat(c.stream().map(InstructionExample::category).distinct()).hasSize(1);
        }
        assertCoversExactly(p, examples());
    }

    @Test
    void categoryNeedsCategories() {
        List<InstructionExample> ex = new ArrayList<>(examples());
        ex.add(new InstructionExample("x", "", "y", ""));
        assertThatThrownBy(() -> new CategoryPartitioner().partition(ex, 1)).isInstanceOfSatisfying(
                ConfigException.class, e -> assertThat(e.key()).isEqualTo("data.partition"));
    }

    @Test
    void dirichletSmallAlphaIsSkewedLargeAlphaIsNot() {
        List<List<InstructionExample>> skewed = new DirichletPartitioner(4, 0.05).partition(examples(), 3);
        List<List<InstructionExample>> flat = new DirichletPartitioner(4, 1000).partition(examples(), 3);
        assertCoversExactly(skewed, examples());
        assertCoversExactly(flat, examples());
        assertThat(skewed).allSatisfy(c -> assertThat(c).isNotEmpty());
        assertThat(dominantShare(skewed)).isGreaterThan(0.8);
        assertThat(dominantShare(flat)).isLessThan(0.45);
        assertThat(skewed).isEqualTo(new DirichletPartitioner(4, 0.05).partition(examples(), 3));
    }

    @Test
    void gammaHasTheRightMean() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (double shape : new double[] {0.3, 1, 4.5}) {
            double sum = 0;
            int n = 20000;
            for (int i = 0; i < n; i++) {
                sum += DirichletPartitioner.gamma(shape, rng);
            }
            assertThat(sum / n).isCloseTo(shape, org.assertj.core.data.Offset.offset(0.05 * shape + 0.02));
        }
    }

    @Test
    void tooManyClientsIsAConfigError() {
        assertThatThrownBy(() -> new IidPartitioner(300).partition(examples(), 1)).isInstanceOfSatisfying(
                ConfigException.class, e -> assertThat(e.key()).isEqualTo("data.clients"));
    }

    @Test
    void splitsAreDisjointSeededAndSized() {
        List<InstructionExample> ex = examples().subList(0, 50);
        DataSplits s = DataSplits.split(ex, 0.1, 0.2, 9);
        assertThat(s.validation()).hasSize(5);
        assertThat(s.test()).hasSize(10);
        assertThat(s.train()).hasSize(35);
        List<InstructionExample> all = new ArrayList<>(s.train());
        all.addAll(s.validation());
        all.addAll(s.test());
        assertThat(all).containsExactlyInAnyOrderElementsOf(ex);
        assertThat(DataSplits.split(ex, 0.1, 0.2, 9)).isEqualTo(s);
        assertThat(DataSplits.split(ex.subList(0, 3), 0.1, 0.1, 1).train()).hasSize(1);
        assertThatThrownBy(() -> DataSplits.split(ex.subList(0, 10), 0.6, 0.4, 1)).isInstanceOf(ConfigException.class);
    }

    private static double dominantShare(List<List<InstructionExample>> parts) {
        double sum = 0;
        for (List<InstructionExample> c : parts) {
            long max = c.stream().collect(java.util.stream.Collectors.groupingBy(InstructionExample::category,
                    java.util.stream.Collectors.counting())).values().stream().mapToLong(Long::longValue).max()
                    .orElse(0);
            sum += (double) max / c.size();
        }
        return sum / parts.size();
    }

    private static void assertCoversExactly(List<List<InstructionExample>> parts, List<InstructionExample> all) {
        Set<InstructionExample> seen = new HashSet<>();
        int n = 0;
        for (List<InstructionExample> c : parts) {
            seen.addAll(c);
            n += c.size();
        }
        assertThat(n).isEqualTo(all.size());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
    }
}
