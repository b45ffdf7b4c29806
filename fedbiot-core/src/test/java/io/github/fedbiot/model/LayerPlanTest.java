/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerPlanTest {

    private static List<Integer> ints(int... v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    /** The rows of fedbiot-algorithm.md section 2 for LLaMA-2-7B (N = 32). */
    @Test
    void lastTwoBeta02MatchesTheTable() {
        LayerPlan p = LayerPlan.lastK(32, 2, 0.2);
        assertThat(p.adapterLayers()).containsExactly(30, 31);
        assertThat(p.teacherLayers()).isEqualTo(range(0, 30));
        assertThat(p.emulatorLayers()).isEqualTo(ints(0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 15, 16, 17, 18, 20,
                21, 22, 23, 25, 26, 27, 29));
        assertThat(p.compressedDepth()).isEqualTo(26);
    }

    @Test
    void lastTwoBeta05MatchesTheTable() {
        LayerPlan p = LayerPlan.lastK(32, 2, 0.5);
        assertThat(p.emulatorLayers()).isEqualTo(ints(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 29));
        assertThat(p.compressedDepth()).isEqualTo(17);
    }

    @Test
    void lastFourBeta02MatchesTheTable() {
        LayerPlan p = LayerPlan.lastK(32, 4, 0.2);
        assertThat(p.adapterLayers()).containsExactly(28, 29, 30, 31);
        assertThat(p.teacherLayers()).isEqualTo(range(0, 28));
        assertThat(p.emulatorLayers()).isEqualTo(ints(0, 1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 18, 19, 20,
                21, 23, 24, 25, 27));
        assertThat(p.compressedDepth()).isEqualTo(26);
    }

    @Test
    void lastFourBeta05MatchesTheTable() {
        LayerPlan p = LayerPlan.lastK(32, 4, 0.5);
        assertThat(p.emulatorLayers()).isEqualTo(ints(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 27));
        assertThat(p.compressedDepth()).isEqualTo(18);
    }

    @ParameterizedTest
    @CsvSource({"0.2, 22, 26", "0.5, 14, 18"})
    void baselinesKeepFirstTwoAndLastTwo(double beta, int kept, int depth) {
        LayerPlan p = LayerPlan.firstAndLast(32, 2, beta);
        assertThat(p.adapterLayers()).containsExactly(0, 1, 30, 31);
        assertThat(p.teacherLayers()).isEqualTo(range(2, 30));
        assertThat(p.emulatorLayers()).hasSize(kept);
        assertThat(p.compressedDepth()).isEqualTo(depth);
        // the teacher starts at layer 2, so the kept layers are the 28-layer positions shifted by 2
        assertThat(p.emulatorLayers()).isEqualTo(
                LayerPlan.keptPositions(28, beta).stream().map(i -> i + 2).toList());
        assertThat(p.emulatorLayers()).startsWith(2).endsWith(29);
        assertThat(p.firstTeacherLayer()).isEqualTo(2);
    }

    @Test
    void pythonRoundingIsHalfToEven() {
        // 29 * 0.5 = 14.5 rounds to 14 (half to even), 27 * 0.5 = 13.5 to 14
        assertThat(LayerPlan.keptPositions(29, 0.5)).hasSize(14)
                .isEqualTo(ints(0, 2, 4, 6, 8, 10, 12, 15, 17, 19, 21, 23, 25, 28));
        assertThat(LayerPlan.keptPositions(27, 0.5)).hasSize(14);
        assertThat(LayerPlan.keptPositions(5, 0.5)).hasSize(2); // 2.5 -> 2
        assertThat(LayerPlan.keptPositions(7, 0.5)).hasSize(4); // 3.5 -> 4
    }

    @Test
    void productIsRoundedAsTheExactDouble() {
        // 30 * (1 - 0.2) and 30 * 0.8 are both exactly 24.0 in binary floating point; 3 * 0.8 is not 2.4
        assertThat(30 * (1 - 0.2)).isEqualTo(24.0);
        assertThat(3 * 0.8).isEqualTo(2.4000000000000004);
        assertThat(LayerPlan.keptPositions(30, 0.2)).hasSize(24);
        assertThat(LayerPlan.keptPositions(3, 0.2)).hasSize(2);
        // 30 * (1 - 0.55) = 13.499999999999998 -> 13 (decimal 13.5 would round to even 14)
        assertThat(30 * (1 - 0.55)).isEqualTo(13.499999999999998);
        assertThat(LayerPlan.keptPositions(30, 0.55)).hasSize(13);
        // 15 * (1 - 0.7) = 4.500000000000001 -> 5 (decimal 4.5 would round to even 4)
        assertThat(15 * (1 - 0.7)).isEqualTo(4.500000000000001);
        assertThat(LayerPlan.keptPositions(15, 0.7)).hasSize(5);
    }

    @Test
    void keptPositionsAreAscendingFromZero() {
        for (int n = 1; n <= 64; n++) {
            for (int percent = 0; percent < 100; percent += 5) {
                double beta = percent / 100.0;
                List<Integer> kept = LayerPlan.keptPositions(n, beta);
                assertThat(kept).as("n=%d beta=%s", n, beta).isSorted().doesNotHaveDuplicates().startsWith(0)
                        .allMatch(i -> i >= 0);
                assertThat(kept.get(kept.size() - 1)).isLessThan(n);
                if (kept.size() > 1) {
                    assertThat(kept.get(kept.size() - 1)).as("n=%d beta=%s", n, beta).isGreaterThanOrEqualTo(n - 2);
                }
            }
        }
    }

    @Test
    void lastTeacherLayerIsLostWhereTheReferenceFloorLosesIt() {
        // k = round(16 * 0.9) = 14, stride = 15 / 13, and 13 * (15 / 13) = 14.999999999999998: the floor of
        // the reference formula drops teacher layer 15 and keeps 14 (Python gives the same)
        assertThat(13 * (15.0 / 13)).isLessThan(15.0);
        assertThat(LayerPlan.keptPositions(16, 0.1)).hasSize(14).endsWith(13, 14);
        // the LLaMA-2-7B cases of the paper are not affected
        assertThat(LayerPlan.keptPositions(30, 0.2)).endsWith(29);
        assertThat(LayerPlan.keptPositions(28, 0.2)).endsWith(27);
    }

    @Test
    void tinyKeepsOnlyTheFirstLayer() {
        assertThat(LayerPlan.keptPositions(1, 0.0)).containsExactly(0);
        assertThat(LayerPlan.keptPositions(3, 0.8)).containsExactly(0); // round(0.6) = 1
        assertThat(LayerPlan.keptPositions(3, 0.9)).containsExactly(0); // round(0.3) = 0, clamped to 1
        assertThat(LayerPlan.lastK(4, 3, 0.5).emulatorLayers()).containsExactly(0);
    }

    /**
     * Compares with {@code kept_positions.txt}, which {@code kept_positions.py} (next to it) wrote with the
     * reference formula in plain Python 3.
     */
    @Test
    void matchesThePythonReference() throws IOException {
        List<String> rows = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("kept_positions.txt")) {
            assertThat(in).as("kept_positions.txt on the test class path").isNotNull();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(rows::add);
        }
        assertThat(rows).hasSizeGreaterThan(2000);
        for (String row : rows) {
            String[] f = row.split(" ");
            int n = Integer.parseInt(f[0]);
            double beta = Double.parseDouble(f[1]);
            int k = Integer.parseInt(f[2]);
            List<Integer> expected = Arrays.stream(f[3].split(",")).map(Integer::valueOf).toList();
            assertThat(expected).hasSize(k);
            assertThat(LayerPlan.keptPositions(n, beta)).as("n=%d beta=%s", n, f[1]).isEqualTo(expected);
        }
    }

    @Test
    void teacherMappingGivesPositionsWithinTheTeacher() {
        LayerPlan p = LayerPlan.firstAndLast(32, 2, 0.5);
        assertThat(p.teacherMapping()).isEqualTo(LayerPlan.keptPositions(28, 0.5));
        LayerPlan q = LayerPlan.lastK(32, 2, 0.2);
        assertThat(q.teacherMapping()).isEqualTo(q.emulatorLayers()); // the teacher starts at layer 0
        for (int j = 0; j < p.emulatorLayers().size(); j++) {
            assertThat(p.teacherLayers().get(p.teacherMapping().get(j))).isEqualTo(p.emulatorLayers().get(j));
        }
    }

    @Test
    void compressedStackIsEmulatorThenAdapterInModelOrder() {
        LayerPlan p = LayerPlan.lastK(32, 4, 0.5);
        List<Integer> expected = new ArrayList<>(p.emulatorLayers());
        expected.addAll(List.of(28, 29, 30, 31));
        assertThat(p.compressedStack()).isEqualTo(expected).hasSize(p.compressedDepth());
        LayerPlan b = LayerPlan.firstAndLast(32, 2, 0.5);
        assertThat(b.compressedStack()).startsWith(0, 1, 2, 4).endsWith(26, 29, 30, 31).hasSize(18);
        assertThat(p.fullStack()).isEqualTo(range(0, 32));
        assertThat(p.hasEmulator()).isTrue();
    }

    @Test
    void fullModelHasNoEmulator() {
        LayerPlan p = LayerPlan.fullModel(28);
        assertThat(p.adapterLayers()).isEqualTo(range(0, 28));
        assertThat(p.teacherLayers()).isEmpty();
        assertThat(p.emulatorLayers()).isEmpty();
        assertThat(p.hasEmulator()).isFalse();
        assertThat(p.compressedStack()).isEqualTo(p.fullStack());
        assertThat(p.compressedDepth()).isEqualTo(28);
        assertThat(p.teacherMapping()).isEmpty();
    }

    @Test
    void zeroDropRateKeepsTheWholeTeacher() {
        LayerPlan p = LayerPlan.lastK(12, 2, 0.0);
        assertThat(p.emulatorLayers()).isEqualTo(p.teacherLayers());
        assertThat(p.compressedStack()).isEqualTo(p.fullStack());
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "32", "33"})
    void rejectsBadAdapterSize(int k) {
        assertThatThrownBy(() -> LayerPlan.lastK(32, k, 0.2)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plan.adapter_layers").hasMessageContaining("found " + k)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("plan.adapter_layers");
    }

    @ParameterizedTest
    @CsvSource({"-0.1", "1.0", "1.5", "NaN", "Infinity"})
    void rejectsBadDropRate(double beta) {
        assertThatThrownBy(() -> LayerPlan.lastK(32, 2, beta)).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("plan.drop_rate");
        assertThatThrownBy(() -> LayerPlan.firstAndLast(32, 2, beta)).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("plan.drop_rate");
        assertThatThrownBy(() -> LayerPlan.keptPositions(30, beta)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plan.drop_rate");
    }

    @ParameterizedTest
    @CsvSource({"0", "-2", "16", "20"})
    void rejectsBadPad(int pad) {
        assertThatThrownBy(() -> LayerPlan.firstAndLast(32, pad, 0.2)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("found " + pad)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("plan.baseline_pad");
    }

    @Test
    void rejectsBadRangesAndSizes() {
        assertThatThrownBy(() -> LayerPlan.split(32, 5, 5, 0.2)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[5, 5)");
        assertThatThrownBy(() -> LayerPlan.split(32, 0, 33, 0.2)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LayerPlan.keptPositions(0, 0.2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found 0");
        assertThatThrownBy(() -> LayerPlan.fullModel(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructorRejectsInconsistentLists() {
        assertThatThrownBy(() -> new LayerPlan(4, ints(3), ints(0, 1, 2), ints(0, 5), 0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("emulator");
        assertThatThrownBy(() -> new LayerPlan(4, ints(2), ints(0, 1, 3), ints(0, 3), 0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contiguous");
        assertThatThrownBy(() -> new LayerPlan(4, ints(2, 3), ints(0, 1, 2), ints(0), 0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("split");
        assertThatThrownBy(() -> new LayerPlan(4, ints(3), ints(0, 1, 2), ints(2, 0), 0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        LayerPlan ok = new LayerPlan(4, ints(3), ints(0, 1, 2), ints(0, 2), 0.2);
        assertThat(ok).isEqualTo(LayerPlan.lastK(4, 1, 0.2)); // round(2.4) = 2 kept: positions 0, 2
    }

    @Test
    void adapterSegmentsAroundTheTeacher() {
        LayerPlan lastTwo = LayerPlan.lastK(6, 2, 0.5);
        assertThat(lastTwo.adapterLayersBeforeTeacher()).isEmpty();
        assertThat(lastTwo.adapterLayersAfterTeacher()).containsExactly(4, 5);

        LayerPlan fedOt = LayerPlan.firstAndLast(8, 2, 0.5);
        assertThat(fedOt.adapterLayersBeforeTeacher()).containsExactly(0, 1);
        assertThat(fedOt.teacherLayers()).isEqualTo(range(2, 6));
        assertThat(fedOt.adapterLayersAfterTeacher()).containsExactly(6, 7);

        LayerPlan middle = LayerPlan.split(5, 1, 4, 0.0);
        assertThat(middle.adapterLayersBeforeTeacher()).containsExactly(0);
        assertThat(middle.adapterLayersAfterTeacher()).containsExactly(4);
    }

    @Test
    void theFullModelPlanHasNoSegmentsAroundATeacher() {
        LayerPlan full = LayerPlan.fullModel(4);
        assertThatThrownBy(full::adapterLayersBeforeTeacher).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no teacher");
        assertThatThrownBy(full::adapterLayersAfterTeacher).isInstanceOf(IllegalStateException.class);
    }
}
