/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.github.fedbiot.algorithm.AggregationOutcome;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.fake.FakeFederation;
import io.github.fedbiot.fake.FakeModel;
import io.github.fedbiot.metrics.Participation;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The round logic on the plain-Java {@link FakeModel}: exact, deterministic, in milliseconds. */
class FederationRoundTest {
    /** lr 0.01 x 2 local steps / 100: the fake shifts each LoRA value by this times the client's loss. */
    private static final double SHIFT_PER_LOSS = 0.01 * 2 / 100;

    /** Records the events of a run. */
    private static final class Events implements RoundListener {
        final List<String> phases = new ArrayList<>();
        final List<ClientOutcome> outcomes = new ArrayList<>();

        @Override
        public void onPhase(int round, RoundPhase phase, int units) {
            phases.add(round + ":" + phase.id() + ":" + units);
        }

        @Override
        public void onClientDone(ClientOutcome outcome) {
            outcomes.add(outcome);
        }
    }

    private static SimulationResult simulate(FedbiotConfig config, Path out, boolean resume, RoundListener l) {
        FederatedSimulation sim = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config), out);
        sim.addListener(l);
        return sim.run(resume);
    }

    private static List<Float> loraBValues(NamedTensors t) {
        List<Float> out = new ArrayList<>();
        t.asMap().forEach((name, v) -> {
            if (name.contains("lora_B")) {
                for (float f : v.data()) {
                    out.add(f);
                }
            }
        });
        return out;
    }

    @Test
    void roundsAlignTrainAggregateAndEvaluateInOrder(@TempDir Path out) throws Exception {
        Events events = new Events();
        SimulationResult r = simulate(FakeFederation.config("fedbiot", 2, ""), out, false, events);

        assertThat(r.completed()).isTrue();
        assertThat(events.phases).containsExactly("0:pre-align:4", "1:train:3", "1:eval:2", "2:align:2",
                "2:train:3", "2:eval:2", "2:final-eval:3");
        assertThat(events.outcomes).extracting(ClientOutcome::status).containsOnly(ClientStatus.OK).hasSize(6);
        assertThat(r.records()).extracting(RoundRecord::round).containsExactly(0, 1, 2);
        RoundRecord pre = r.records().get(0);
        RoundRecord r1 = r.records().get(1);
        RoundRecord r2 = r.records().get(2);
        assertThat(pre.alignment().steps()).isEqualTo(4);
        assertThat(pre.clients()).isEqualTo(Participation.NONE);
        assertThat(r1.alignment().steps()).isZero();
        assertThat(r1.alignment().nl2()).isNaN();
        assertThat(r2.alignment().steps()).isEqualTo(2);
        assertThat(r1.clients()).isEqualTo(new Participation(3, 3, 0, 0, 0));
        // 3 clients x 2 steps x 2 micro-batches x 2 examples
        assertThat(r1.training().samples()).isEqualTo(24);
        assertThat(r1.traffic().upPerClient()).isEqualTo(r.adapterLora().byteSize());
        assertThat(r1.traffic().downPerClient()).isEqualTo(r.adapterLora().byteSize() + r.emulatorLora().byteSize());
        // B starts at 0 and every client shifts it by SHIFT_PER_LOSS x its loss; equal weights make FedAvg the
        // mean shift, which is SHIFT_PER_LOSS x the recorded (sample-weighted) mean loss, summed over the rounds
        double expected = SHIFT_PER_LOSS * (r1.training().loss() + r2.training().loss());
        assertThat(loraBValues(r.adapterLora())).isNotEmpty()
                .allSatisfy(v -> assertThat((double) v).isCloseTo(expected, offset(1e-6)));
        assertThat(r1.emu().loss()).isFinite();
        assertThat(r1.fu().exactMatch()).isEqualTo(0.0);
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(3);
        assertThat(out.resolve("summary.json")).exists();
    }

    @Test
    void sampledAndDroppedClientsAreTheSamplersChoice(@TempDir Path out) {
        FedbiotConfig config = FakeFederation.config("fedot", 4, "  sample_count: 2\n  dropout_probability: 0.4");
        Events events = new Events();
        SimulationResult r = simulate(config, out, false, events);

        ClientSampler sampler = new ClientSampler(config.federation(), config.seed());
        List<String> ids = List.of("client-00", "client-01", "client-02");
        int drops = 0;
        for (int round = 1; round <= 4; round++) {
            final int rd = round;
            List<String> sampled = sampler.sample(ids, round);
            List<ClientOutcome> done = events.outcomes.stream().filter(o -> o.round() == rd).toList();
            assertThat(done).extracting(ClientOutcome::clientId).containsExactlyElementsOf(sampled);
            assertThat(done).allSatisfy(o -> assertThat(o.status()).isEqualTo(sampler.dropsOut(o.clientId(), rd)
                    ? ClientStatus.DROPPED : ClientStatus.OK));
            int dropped = (int) sampled.stream().filter(id -> sampler.dropsOut(id, rd)).count();
            assertThat(r.records().get(round).clients()).isEqualTo(new Participation(2, 2 - dropped, dropped, 0, 0));
            drops += dropped;
        }
        assertThat(drops).as("the seed drops someone, so the check means something").isPositive();
    }

    @Test
    void stragglersAreDiscardedAndFailuresSkipped(@TempDir Path out) {
        FedbiotConfig config = FakeFederation.config("fedot", 1, "  deadline_seconds: 1.0");
        AtomicLong clock = new AtomicLong();
        AtomicInteger calls = new AtomicInteger();
        FakeModel model = new FakeModel(request -> {
            int call = calls.incrementAndGet();
            if (call == 2) {
                clock.addAndGet(5_000_000_000L);
            } else if (call == 3) {
                throw new IllegalStateException("out of memory");
            }
        });
        FederatedDataset data = FakeFederation.data(config);
        FederationSetup setup = new FederationSetup(config, model);
        List<FedBiOTClient> clients = data.clients().stream()
                .map(c -> setup.client(c.id(), setup.encodeTraining(c.id(), c.splits().train()))).toList();
        FedBiOTServer server = setup.server(setup.publicStream(data.publicExamples()),
                setup.validator(data.clientIds()));
        Events events = new Events();
        RoundRecord r1 = new RoundRunner(setup, server, clients, data, events, clock::get).run(1);

        assertThat(events.outcomes).extracting(ClientOutcome::status)
                .containsExactly(ClientStatus.OK, ClientStatus.TIMED_OUT, ClientStatus.FAILED);
        assertThat(events.outcomes.get(1).loss()).isFinite();
        assertThat(events.outcomes.get(2).loss()).isNaN();
        assertThat(r1.clients()).isEqualTo(new Participation(3, 1, 0, 1, 0));
        assertThat(r1.training().samples()).isEqualTo(8);
        assertThat(r1.cost().wallSeconds()).isEqualTo(5.0);
        // only the punctual client's update reached the global adapter
        double expected = SHIFT_PER_LOSS * r1.training().loss();
        assertThat(loraBValues(server.adapterLora()))
                .allSatisfy(v -> assertThat((double) v).isCloseTo(expected, offset(1e-7)));
    }

    @Test
    void validationKeepsBadUpdatesOutOfTheAggregate() {
        FedbiotConfig config = FakeFederation.config("fedot", 1, "");
        FederationSetup setup = new FederationSetup(config, new FakeModel());
        FederatedDataset data = FakeFederation.data(config);
        FedBiOTServer server = setup.server(null, setup.validator(data.clientIds()));
        NamedTensors start = server.adapterLora();
        String first = start.names().iterator().next();
        Tensor t = start.get(first);

        AggregationOutcome ok = server.aggregate(1, List.of(
                new ClientUpdate("client-00", 2, FakeModel.shift(start, 1), Map.of()),
                new ClientUpdate("client-01", 6, FakeModel.shift(start, 3), Map.of()),
                new ClientUpdate("client-00", 2, FakeModel.shift(start, 100), Map.of())));
        assertThat(ok.accepted()).containsExactly("client-00", "client-01");
        assertThat(ok.rejected()).containsOnlyKeys("client-00");
        assertThat(ok.rejected().get("client-00")).contains("second update");
        assertThat(ok.samples()).isEqualTo(8);
        // FedAvg: (2 x 1 + 6 x 3) / 8 = 2.5 added to every value
        assertThat(server.adapterLora().maxAbsDiff(FakeModel.shift(start, 2.5))).isLessThan(1e-6);

        NamedTensors good = server.adapterLora();
        Map<String, ClientUpdate> bad = Map.of(
                "unknown client id", new ClientUpdate("client-99", 2, good, Map.of()),
                "sample count 9 is outside [1, 8]", new ClientUpdate("client-02", 9, good, Map.of()),
                "sample count 0", new ClientUpdate("client-02", 0, good, Map.of()),
                "unknown tensor 'extra'", new ClientUpdate("client-02", 2, good.with(NamedTensors.builder()
                        .add("extra", Tensor.zeros(1)).build()), Map.of()),
                "missing tensor '" + first + "'", new ClientUpdate("client-02", 2, good.filter(n -> !n.equals(first)),
                        Map.of()),
                "has shape [1]", new ClientUpdate("client-02", 2, good.with(NamedTensors.builder()
                        .add(first, Tensor.zeros(1)).build()), Map.of()),
                "NaN or infinite", new ClientUpdate("client-02", 2, good.with(NamedTensors.builder()
                        .add(first, nan(t)).build()), Map.of()));
        bad.forEach((reason, u) -> {
            AggregationOutcome o = server.aggregate(2, List.of(u));
            assertThat(o.accepted()).as(reason).isEmpty();
            assertThat(o.rejected().get(u.clientId())).as(reason).contains(reason);
            assertThat(server.adapterLora()).as(reason).isEqualTo(good);
        });
    }

    @Test
    void aRoundRefusedByTheCallersCheckLeavesTheAdapterAsItWas() {
        FedbiotConfig config = FakeFederation.config("fedbiot", 2, "");
        FederationSetup setup = new FederationSetup(config, new FakeModel());
        FedBiOTServer server = setup.server(setup.publicStream(FakeFederation.data(config).publicExamples()),
                setup.validator(List.of()));
        NamedTensors start = server.adapterLora();
        List<ClientUpdate> updates = List.of(new ClientUpdate("a", 2, FakeModel.shift(start, 1), Map.of()),
                new ClientUpdate("b", 6, FakeModel.shift(start, 3), Map.of()));

        assertThatThrownBy(() -> server.aggregate(1, updates, proposed -> {
            throw new IllegalStateException("quorum of 3 not reached: " + proposed.accepted().size());
        })).hasMessage("quorum of 3 not reached: 2");
        assertThat(server.adapterLora()).isEqualTo(start);

        AggregationOutcome taken = server.aggregate(1, updates, proposed -> { });
        // FedAvg by samples: (2 * 1 + 6 * 3) / 8 = 2.5 added to every value
        assertThat(taken.adapterLora().maxAbsDiff(FakeModel.shift(start, 2.5))).isLessThan(1e-6);
        assertThat(server.adapterLora()).isEqualTo(taken.adapterLora());
        assertThat(server.message(2).adapterLora()).isEqualTo(taken.adapterLora());
    }

    @Test
    void aResumedRunEndsExactlyWhereTheUninterruptedOneDoes(@TempDir Path out) {
        FedbiotConfig config = FakeFederation.config("fedbiot", 3, "  sample_count: 2");
        SimulationResult whole = simulate(config, out.resolve("whole"), false, new Events());

        Path split = out.resolve("split");
        FederatedSimulation first = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config),
                split);
        first.addListener(new RoundListener() {
            @Override
            public void onRoundEnd(RoundRecord record) {
                if (record.round() == 1) {
                    first.requestStop();
                }
            }
        });
        SimulationResult stopped = first.run(false);
        assertThat(stopped.completed()).isFalse();
        assertThat(stopped.records()).hasSize(2);
        assertThat(CheckpointStore.read(first.checkpointFile()).round()).isEqualTo(1);

        Events events = new Events();
        SimulationResult resumed = simulate(config, split, true, events);
        assertThat(resumed.completed()).isTrue();
        assertThat(events.phases).first().isEqualTo("2:align:2");
        assertThat(resumed.adapterLora()).isEqualTo(whole.adapterLora());
        assertThat(resumed.emulatorLora()).isEqualTo(whole.emulatorLora());
        assertThat(resumed.records()).extracting(RoundRecord::round).containsExactly(0, 1, 2, 3);
        for (int i = 0; i <= 3; i++) {
            RoundRecord a = whole.records().get(i);
            RoundRecord b = resumed.records().get(i);
            assertThat(List.of(b.clients(), b.training(), b.alignment(), b.emu(), b.fu(), b.traffic()))
                    .as("round %d", i).isEqualTo(List.of(a.clients(), a.training(), a.alignment(), a.emu(), a.fu(),
                            a.traffic()));
        }
        assertThatThrownBy(() -> simulate(config.withSeed(8), split, true, new Events()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("seed (checkpoint: 7, now: 8)");
    }

    private static Tensor nan(Tensor t) {
        float[] d = t.data().clone();
        d[0] = Float.NaN;
        return new Tensor(t.shape(), d);
    }
}
