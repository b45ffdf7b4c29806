/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.InvalidUpdateException;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aligner session without a transport: a round whose updates fail the update validation of the simulation (a
 * NaN, a wrong shape, an unknown or a missing tensor) is refused naming the tensor and never becomes the global
 * adapter, neither in {@code align} nor in {@code finish}; a good one afterwards still works; a bad update among
 * good ones is left out, as in the simulation.
 */
class AlignerSessionTest {
    @TempDir
    Path work;

    private DjlBaseModel model;
    private AlignerSession session;

    @BeforeEach
    void setUp() throws Exception {
        model = AlignerFixtures.tinyModel();
        session = AlignerSession.create(AlignerFixtures.config(work, "public: public.jsonl"), model,
                AlignerOutput.to(work.resolve("out")));
    }

    @AfterEach
    void tearDown() {
        if (model != null) {
            model.close();
        }
    }

    /** Returns {@code adapter} with tensor {@code name} replaced (or added) by {@code t}, or removed if null. */
    private static NamedTensors with(NamedTensors adapter, String name, Tensor t) {
        Map<String, Tensor> m = new LinkedHashMap<>(adapter.asMap());
        if (t == null) {
            m.remove(name);
        } else {
            m.put(name, t);
        }
        NamedTensors.Builder b = NamedTensors.builder();
        m.forEach(b::add);
        return b.build();
    }

    /** One node's update carrying {@code adapter}: with one update, the round's aggregate is that adapter. */
    private static ClientUpdate update(NamedTensors adapter) {
        return new ClientUpdate("1", 1, adapter, Map.of());
    }

    private static Map<String, NamedTensors> badAggregates(NamedTensors good) {
        String first = good.names().iterator().next();
        Tensor t = good.get(first);
        float[] nan = t.data().clone();
        nan[nan.length - 1] = Float.NaN;
        int[] wider = t.shape().clone();
        wider[0]++;
        Map<String, NamedTensors> bad = new LinkedHashMap<>();
        bad.put("holds NaN", with(good, first, new Tensor(t.shape(), nan)));
        bad.put("has shape", with(good, first, Tensor.zeros(wider)));
        bad.put("unknown tensor 'not.a.lora.weight'", with(good, "not.a.lora.weight", t));
        bad.put("missing tensor '" + first + "'", with(good, first, null));
        return bad;
    }

    @Test
    void badAggregatesAreRefusedNamingTheTensorAndNeverAccepted() {
        NamedTensors initial = session.initialState().adapterLora();
        NamedTensors preAligned = session.preAlign().emulatorLora();
        NamedTensors trained = NamedTensors.weightedSum(List.of(initial), new double[] {2.0});

        badAggregates(trained).forEach((problem, aggregate) -> {
            assertThatThrownBy(() -> session.align(2, List.of(update(aggregate)), 1)).as(problem)
                    .isInstanceOf(InvalidUpdateException.class)
                    .hasMessageContaining("aggregate of round 1").hasMessageContaining(problem);
            assertThatThrownBy(() -> session.finish(3, List.of(update(aggregate)), 1)).as(problem)
                    .isInstanceOf(InvalidUpdateException.class)
                    .hasMessageContaining("aggregate of round 3").hasMessageContaining(problem);
        });
        assertThat(session.aggregatedAdapter(1)).isNull();
        assertThat(session.emulatorForRound(2)).isNull();
        assertThat(session.aggregatedAdapter(3)).isNull();
        assertThat(session.isFinished()).isFalse();
        assertThat(work.resolve("out")).doesNotExist();

        AlignStep round2 = session.align(2, List.of(update(trained)), 1).alignment();
        assertThat(session.aggregatedAdapter(1)).isEqualTo(trained);
        assertThat(round2.emulatorLora().maxAbsDiff(preAligned)).isGreaterThan(0);
        assertThat(session.finish(3, List.of(update(trained)), 1).output()).contains(work.resolve("out"));
        assertThat(session.isFinished()).isTrue();
        assertThat(work.resolve("out").resolve(AlignerOutput.ADAPTER_FILE)).isRegularFile();
        assertThat(work.resolve("out").resolve(AlignerOutput.EMULATOR_FILE)).isRegularFile();
    }

    /**
     * The simulation's round path over Flower: of a good and a NaN update, the NaN one is rejected naming the node
     * and the tensor, the aggregate is the good one and the emulator is aligned to it; a round short of its
     * minimum of accepted updates is refused and changes nothing.
     */
    @Test
    void aNanUpdateIsRejectedAndTheRoundGoesOnWithTheOthers() {
        NamedTensors initial = session.initialState().adapterLora();
        NamedTensors preAligned = session.preAlign().emulatorLora();
        NamedTensors good = NamedTensors.weightedSum(List.of(initial), new double[] {2.0});
        NamedTensors nan = badAggregates(good).get("holds NaN");

        AlignedRound round2 = session.align(2, List.of(new ClientUpdate("7", 1, good, Map.of()),
                new ClientUpdate("8", 1, nan, Map.of())), 1);
        assertThat(round2.aggregation().accepted()).containsExactly("7");
        assertThat(round2.aggregation().rejected()).containsOnlyKeys("8");
        assertThat(round2.aggregation().rejected().get("8")).contains("client '8'").contains("holds NaN");
        assertThat(round2.aggregation().samples()).isEqualTo(1);
        assertThat(round2.aggregation().adapterLora()).isEqualTo(good);
        assertThat(session.aggregatedAdapter(1)).isEqualTo(good);
        assertThat(round2.alignment().result()).as("the emulator was aligned").isNotNull();
        assertThat(round2.alignment().emulatorLora().maxAbsDiff(preAligned)).isGreaterThan(0);

        NamedTensors better = NamedTensors.weightedSum(List.of(initial), new double[] {3.0});
        List<ClientUpdate> last = List.of(new ClientUpdate("7", 1, better, Map.of()),
                new ClientUpdate("8", 1, nan, Map.of()));
        assertThatThrownBy(() -> session.finish(3, last, 2)).isInstanceOf(InvalidUpdateException.class)
                .hasMessageContaining("1 of 2 updates accepted").hasMessageContaining("holds NaN");
        assertThat(session.isFinished()).isFalse();
        assertThat(session.aggregatedAdapter(3)).isNull();
        assertThat(work.resolve("out")).doesNotExist();

        FinishedRun finished = session.finish(3, last, 1);
        assertThat(finished.aggregation().rejected()).containsOnlyKeys("8");
        assertThat(session.aggregatedAdapter(3)).isEqualTo(better);
        assertThat(finished.output()).contains(work.resolve("out"));
        assertThat(session.isFinished()).isTrue();
    }

    @Test
    void roundConfigCarriesTheRunSeed() {
        assertThat(session.roundConfig(1)).containsEntry("fedbiot-run-seed", 5L).containsKey("fedbiot-lr");
        assertThatThrownBy(() -> session.roundConfig(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rounds start at 1");
    }
}
