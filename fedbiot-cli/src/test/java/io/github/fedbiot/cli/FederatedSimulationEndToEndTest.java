/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.algorithm.AggregationOutcome;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.algorithm.FedAvgAggregator;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.algorithm.ServerSettings;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.algorithm.UpdateValidator;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.InstructionEncoder;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.runtime.CheckpointException;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.RoundListener;
import io.github.fedbiot.runtime.SimulationResult;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end FedBiOT and baselines on a tiny random model with the real DJL/PyTorch engine. */
class FederatedSimulationEndToEndTest {
    @TempDir
    static Path shared;

    private static Path modelDir;
    private static BaseModel model;

    @BeforeAll
    static void loadModel() {
        modelDir = TinyFederation.saveModel(shared.resolve("tiny-model"));
        model = Engines.getDefault().load(modelDir);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static SimulationResult run(FedbiotConfig config, Path out, boolean resume, List<RoundMessage> messages) {
        FederatedSimulation sim = new FederatedSimulation(config, model, FederatedDataset.load(config), out);
        if (messages != null) {
            sim.addListener(new RoundListener() {
                @Override
                public void onBroadcast(RoundMessage message) {
                    messages.add(message);
                }
            });
        }
        return sim.run(resume);
    }

    /** Bytes of LoRA on q and v of the given layers (float32). */
    private static long loraBytes(int layers, int rank) {
        var spec = TinyFederation.spec();
        long q = rank * (LoraNames.moduleDims(spec, "q_proj")[0] + LoraNames.moduleDims(spec, "q_proj")[1]);
        long v = rank * (LoraNames.moduleDims(spec, "v_proj")[0] + LoraNames.moduleDims(spec, "v_proj")[1]);
        return 4 * layers * (q + v);
    }

    @Test
    void fedbiotTwoRoundsWithThreeClients(@TempDir Path out) throws Exception {
        List<RoundMessage> messages = new ArrayList<>();
        SimulationResult r = run(TinyFederation.config(modelDir, "fedbiot", 2), out, false, messages);

        assertThat(r.completed()).isTrue();
        assertThat(r.records()).extracting(RoundRecord::round).containsExactly(0, 1, 2);
        RoundRecord pre = r.records().get(0);
        RoundRecord r1 = r.records().get(1);
        RoundRecord r2 = r.records().get(2);
        assertThat(pre.alignment().steps()).isEqualTo(2);
        assertThat(pre.alignment().nl2()).isFinite();
        assertThat(r1.alignment().steps()).isZero();
        assertThat(r2.alignment().steps()).isEqualTo(2);
        assertThat(r2.alignment().kl()).isFinite().isGreaterThanOrEqualTo(0);
        for (RoundRecord rec : List.of(r1, r2)) {
            assertThat(rec.clients().sampled()).isEqualTo(3);
            assertThat(rec.clients().completed()).isEqualTo(3);
            assertThat(rec.clients().rejected()).isZero();
            assertThat(rec.training().samples()).isEqualTo(3 * 2 * 2 * 2);
            assertThat(rec.training().loss()).isFinite().isPositive();
            assertThat(rec.emu().loss()).isFinite().isPositive();
            assertThat(rec.fu().loss()).isFinite().isPositive();
            // exact match is matches / generated: 3 clients x eval.generate_examples 1 -> a multiple of 1/3
            assertThat(rec.emu().exactMatch()).isIn(0.0, 1.0 / 3, 2.0 / 3, 1.0);
            assertThat(rec.fu().exactMatch()).isIn(0.0, 1.0 / 3, 2.0 / 3, 1.0);
            // K = 2 adapter layers, teacher of 4 layers at beta 0.5 -> 2 emulator layers; r = 4 on q and v
            assertThat(rec.traffic().upPerClient()).isEqualTo(loraBytes(2, 4));
            assertThat(rec.traffic().downPerClient()).isEqualTo(loraBytes(2, 4) + loraBytes(2, 4));
        }

        assertThat(messages).hasSize(2);
        RoundMessage m1 = messages.get(0);
        RoundMessage m2 = messages.get(1);
        assertThat(m1.adapterLora().byteSize()).isEqualTo(r1.traffic().upPerClient());
        assertThat(m1.config().stack()).containsExactly(0, 3, 4, 5);
        // the adapter LoRA changes with training: round 2 starts from the aggregate of round 1, which changes again
        assertThat(m2.adapterLora().maxAbsDiff(m1.adapterLora())).isGreaterThan(1e-6);
        assertThat(r.adapterLora().maxAbsDiff(m2.adapterLora())).isGreaterThan(1e-6);
        // the emulator LoRA is re-aligned before round 2 and that new one is what round 2 broadcasts
        assertThat(m2.emulatorLora().maxAbsDiff(m1.emulatorLora())).isGreaterThan(1e-6);
        assertThat(m2.emulatorLora()).isEqualTo(r.emulatorLora());
        assertThat(m1.emulatorLora().names()).allMatch(n -> Set.of(0, 3).contains(LoraNames.layerOf(n)));
        assertThat(m1.adapterLora().names()).allMatch(n -> Set.of(4, 5).contains(LoraNames.layerOf(n)));

        assertThat(r.finalScores()).containsKeys(EvaluationTarget.values());
        assertThat(r.finalScores().get(EvaluationTarget.UNTUNED).loss()).isFinite();
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(3);
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(4);
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"adap_fu\"").contains("\"untuned\"");
        assertThat(out.resolve("checkpoint.safetensors")).isRegularFile();
    }

    @Test
    void resumeAfterRoundOneEndsWithTheSameNumbers(@TempDir Path full, @TempDir Path split) {
        // Interrupted after round 1 (what the Ctrl-C hook does: stop after the round in progress), then resumed.
        FedbiotConfig config = TinyFederation.config(modelDir, "fedbiot", 2);
        FederatedSimulation interrupted = new FederatedSimulation(config, model, FederatedDataset.load(config), split);
        interrupted.addListener(new RoundListener() {
            @Override
            public void onRoundEnd(RoundRecord record) {
                if (record.round() == 1) {
                    interrupted.requestStop();
                }
            }
        });
        SimulationResult first = interrupted.run(false);
        assertThat(first.completed()).isFalse();
        assertThat(first.finalScores()).isEmpty();
        assertThat(first.records()).hasSize(2);
        assertThat(io.github.fedbiot.runtime.CheckpointStore.read(interrupted.checkpointFile()).round()).isEqualTo(1);
        List<RoundMessage> messages = new ArrayList<>();
        SimulationResult resumed = run(config, split, true, messages);
        SimulationResult uninterrupted = run(config, full, false, null);

        assertThat(messages).extracting(RoundMessage::round).containsExactly(2);
        assertThat(resumed.records()).extracting(RoundRecord::round).containsExactly(0, 1, 2);
        assertThat(resumed.adapterLora().maxAbsDiff(uninterrupted.adapterLora())).isLessThan(1e-4);
        assertThat(resumed.emulatorLora().maxAbsDiff(uninterrupted.emulatorLora())).isLessThan(1e-4);
        for (int i = 1; i <= 2; i++) {
            RoundRecord a = uninterrupted.records().get(i);
            RoundRecord b = resumed.records().get(i);
            assertThat(b.training().loss()).isCloseTo(a.training().loss(), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(b.emu().loss()).isCloseTo(a.emu().loss(), org.assertj.core.data.Offset.offset(1e-4));
            assertThat(b.fu().loss()).isCloseTo(a.fu().loss(), org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(resumed.records().get(2).alignment().nl2())
                .isCloseTo(uninterrupted.records().get(2).alignment().nl2(), org.assertj.core.data.Offset.offset(1e-4));

        // the same directory refuses another configuration and a fresh (non-resume) start
        FedbiotConfig other = TinyFederation.config(modelDir, "fedbiot", 3).withSeed(6);
        assertThatThrownBy(() -> run(other, split, true, null)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("differing keys: seed (checkpoint: 5, now: 6)");
        assertThatThrownBy(() -> run(TinyFederation.config(modelDir, "fedbiot", 2), split, false, null))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("already holds an earlier run");
    }

    @Test
    void dropoutsAndDeadlinesDoNotStopTheRound(@TempDir Path out) {
        FedbiotConfig dropping = io.github.fedbiot.config.FedbiotConfigReader.parse(TinyFederation.yaml(modelDir,
                "fedot", 1).replace("\n  rounds: 1\n", "\n  rounds: 1\n  dropout_probability: 0.5\n"), true).withSeed(3);
        var sampler = new io.github.fedbiot.runtime.ClientSampler(dropping.federation(), dropping.seed());
        int expectedDrops = 0;
        for (String id : List.of("client-00", "client-01", "client-02")) {
            expectedDrops += sampler.dropsOut(id, 1) ? 1 : 0;
        }
        RoundRecord d = run(dropping, out.resolve("dropout"), false, null).records().get(1);
        assertThat(d.clients().dropped()).isEqualTo(expectedDrops);
        assertThat(d.clients().completed()).isEqualTo(3 - expectedDrops);

        FedbiotConfig late = io.github.fedbiot.config.FedbiotConfigReader.parse(TinyFederation.yaml(modelDir,
                "fedot", 1).replace("\n  rounds: 1\n", "\n  rounds: 1\n  deadline_seconds: 1.0e-6\n"), true);
        SimulationResult r = run(late, out.resolve("deadline"), false, null);
        RoundRecord t = r.records().get(1);
        assertThat(t.clients().timedOut()).isEqualTo(3);
        assertThat(t.clients().completed()).isZero();
        assertThat(t.training().samples()).isZero();
        assertThat(r.completed()).isTrue();
        // nothing arrived in time: the global adapter is still the initial one (B = 0)
        assertThat(r.adapterLora().asMap().entrySet().stream().filter(e -> e.getKey().contains("lora_B"))
                .allMatch(e -> e.getValue().squaredNorm() == 0)).isTrue();
    }

    @Test
    void baselinesRunOneRound(@TempDir Path out) {
        SimulationResult fedot = run(TinyFederation.config(modelDir, "fedot", 1), out.resolve("fedot"), false, null);
        RoundRecord f1 = fedot.records().get(1);
        assertThat(fedot.emulatorLora().isEmpty()).isTrue();
        assertThat(fedot.records().get(0).alignment().steps()).isZero();
        assertThat(f1.clients().completed()).isEqualTo(3);
        // first 2 + last 2 layers adapt; no emulator LoRA travels
        assertThat(f1.traffic().downPerClient()).isEqualTo(loraBytes(4, 4)).isEqualTo(f1.traffic().upPerClient());
        assertThat(f1.emu().loss()).isFinite();
        assertThat(f1.fu().loss()).isFinite();

        SimulationResult offsite = run(TinyFederation.config(modelDir, "offsite", 1), out.resolve("offsite"), false,
                null);
        assertThat(offsite.records().get(1).clients().sampled()).isEqualTo(1);
        assertThat(offsite.records().get(1).training().loss()).isFinite();

        SimulationResult full = run(TinyFederation.config(modelDir, "fedavg-full", 1), out.resolve("full"), false,
                null);
        RoundRecord u1 = full.records().get(1);
        assertThat(u1.traffic().upPerClient()).isEqualTo(loraBytes(6, 4));
        assertThat(u1.emu().loss()).isEqualTo(u1.fu().loss());
        assertThat(full.finalScores().get(EvaluationTarget.ADAP_FU).loss()).isFinite();
    }

    @Test
    void fedotCanDistillTheEmulatorOnceBeforeRoundOne(@TempDir Path out) {
        FedbiotConfig c = io.github.fedbiot.config.FedbiotConfigReader.parse(
                TinyFederation.yaml(modelDir, "fedot", 2).replace("kl_weight: 0.5", "kl_weight: 0.5\n  fedot_distill: true"),
                true);
        List<RoundMessage> messages = new ArrayList<>();
        SimulationResult r = run(c, out, false, messages);
        assertThat(r.records().get(0).alignment().steps()).isEqualTo(2);
        assertThat(r.records().get(2).alignment().steps()).isZero();
        assertThat(messages.get(0).emulatorLora().isEmpty()).isFalse();
        assertThat(messages.get(1).emulatorLora()).isEqualTo(messages.get(0).emulatorLora());
    }

    @Test
    void rejectedUpdatesNeverReachTheGlobalModel() {
        FedbiotConfig config = TinyFederation.config(modelDir, "fedbiot", 1);
        FederatedDataset data = FederatedDataset.load(config);
        TrainingStrategy strategy = TrainingStrategy.of(config, model.spec().numLayers());
        LoraSpec lora = config.lora();
        InstructionEncoder encoder = new InstructionEncoder(model.tokenizer(), config.data().maxLength());
        BatchCollator collator = new BatchCollator(model.tokenizer().padId());
        FedBiOTServer server = new FedBiOTServer(model, strategy, ServerSettings.of(config, strategy, lora),
                new ExampleStream<>(encoder.encodeAll(data.publicExamples()), 1), collator, new FedAvgAggregator(),
                new UpdateValidator(Set.copyOf(data.clientIds()), 1000));
        NamedTensors before = server.adapterLora();
        RoundMessage m = server.message(1);
        List<ClientUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var cd = data.clients().get(i);
            updates.add(new FedBiOTClient(cd.id(), model, new ExampleStream<>(encoder.encodeAll(cd.splits().train()), i),
                    collator).train(m));
        }
        ClientUpdate good = updates.get(0);
        NamedTensors poisoned = good.adapterLora().with(NamedTensors.builder().add(
                good.adapterLora().names().iterator().next(), poison(good.adapterLora()))
                .build());
        ClientUpdate nan = new ClientUpdate(data.clients().get(1).id(), 8, poisoned, Map.of());
        ClientUpdate unknown = new ClientUpdate(data.clients().get(2).id(), 8, good.adapterLora().with(
                NamedTensors.builder().add("model.layers.0.self_attn.q_proj.lora_A.weight", Tensor.zeros(4, 32))
                        .build()), Map.of());
        AggregationOutcome out = server.aggregate(1, List.of(good, nan, unknown));
        assertThat(out.accepted()).containsExactly(good.clientId());
        assertThat(out.rejected()).containsOnlyKeys(nan.clientId(), unknown.clientId());
        assertThat(out.rejected().get(nan.clientId())).contains("NaN");
        assertThat(out.rejected().get(unknown.clientId())).contains("unknown tensor");
        // FedAvg over the single valid update is that update: nothing of the rejected ones leaked in
        assertThat(server.adapterLora()).isEqualTo(good.adapterLora());
        assertThat(server.adapterLora()).isNotEqualTo(before);
        assertThat(server.adapterLora().isFinite()).isTrue();
        // a round where every update is rejected keeps the global model
        server.aggregate(2, List.of(nan));
        assertThat(server.adapterLora()).isEqualTo(good.adapterLora());
    }

    @Test
    void proximalTermHasARealGradient() {
        FedbiotConfig config = TinyFederation.config(modelDir, "fedbiot", 1);
        FederatedDataset data = FederatedDataset.load(config);
        TrainingStrategy strategy = TrainingStrategy.of(config, model.spec().numLayers());
        InstructionEncoder encoder = new InstructionEncoder(model.tokenizer(), config.data().maxLength());
        BatchCollator collator = new BatchCollator(model.tokenizer().padId());
        FedBiOTServer server = new FedBiOTServer(model, strategy, ServerSettings.of(config, strategy, config.lora()),
                new ExampleStream<>(encoder.encodeAll(data.publicExamples()), 1), collator, new FedAvgAggregator(),
                new UpdateValidator(Set.copyOf(data.clientIds()), 1000));
        RoundMessage base = server.message(1);
        var cd = data.clients().get(0);
        double[] drift = new double[3];
        int i = 0;
        for (double mu : new double[] {0.0, 1e4, 1e4}) {
            var c = base.config();
            boolean gradient = i != 2;
            RoundMessage m = new RoundMessage(1, base.adapterLora(), base.emulatorLora(),
                    new io.github.fedbiot.algorithm.ClientRoundConfig(c.stack(), c.lora(), c.optimizer(), 4,
                            c.batchSize(), c.gradAccum(), mu, gradient, c.seed()));
            ClientUpdate u = new FedBiOTClient(cd.id(), model, new ExampleStream<>(encoder.encodeAll(
                    cd.splits().train()), 7), collator).train(m);
            drift[i++] = u.adapterLora().maxAbsDiff(base.adapterLora());
        }
        // without the term and with the reference code's gradient-free term the client drifts alike;
        // with a real gradient a large mu keeps the adapter near the broadcast one
        assertThat(drift[2]).isCloseTo(drift[0], org.assertj.core.data.Offset.offset(1e-5));
        assertThat(drift[1]).isLessThan(0.8 * drift[0]);
    }

    private static Tensor poison(NamedTensors t) {
        Tensor first = t.asMap().values().iterator().next();
        float[] d = first.data().clone();
        d[0] = Float.NaN;
        return new Tensor(first.shape(), d);
    }
}
