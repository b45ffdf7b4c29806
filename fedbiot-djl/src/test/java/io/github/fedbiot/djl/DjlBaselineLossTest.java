/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.FedAvgAggregator;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.algorithm.Seeds;
import io.github.fedbiot.algorithm.ServerSettings;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.algorithm.UpdateValidator;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The baselines' client loss on the real engine: with {@code client.proximal_weight} not set, a FedOT /
 * Offsite-Tuning / FedAvg-full client trains on plain cross-entropy (what the reference baselines do), and an
 * explicit proximal weight is honoured.
 */
class DjlBaselineLossTest {
    private static final ModelSpec SPEC = TinyModels.llama();
    private static final int BATCH = 4;
    private static final int STEPS = 4;
    private static DjlBaseModel model;

    @BeforeAll
    static void load() {
        model = DjlBaseModel.random(SPEC, 21, 0.3, null);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static FedbiotConfig config(String algorithm, String clientExtra) {
        return FedbiotConfigReader.parse("""
                algorithm: %s
                plan: {adapter_layers: 2, drop_rate: 0.5, baseline_pad: 1}
                lora: {rank: 4, alpha: 8, dropout: 0.1}
                optimizer: {lr: 0.05}
                client: {local_steps: %d, batch_size: %d, grad_accum: 1%s}
                """.formatted(algorithm, STEPS, BATCH, clientExtra), true);
    }

    private static List<TokenizedExample> examples() {
        List<TokenizedExample> out = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            Batch b = TinyModels.sequenceBatch(1, 16, 3, s);
            out.add(new TokenizedExample(b.tokens(), 3));
        }
        return out;
    }

    /** One round of a client as the simulation runs it, and the plain-CE and the proximal computation. */
    private record Round(RoundMessage message, ClientUpdate update, LocalTrainResult plainCe,
            LocalTrainResult proximal) {}

    private static Round round(FedbiotConfig config) {
        TrainingStrategy strategy = TrainingStrategy.of(config, SPEC.numLayers());
        LoraSpec lora = config.lora().forArchitecture(SPEC.architecture());
        BatchCollator collator = new BatchCollator(0);
        FedBiOTServer server = new FedBiOTServer(model, strategy, ServerSettings.of(config, strategy, lora), null, collator,
                new FedAvgAggregator(), new UpdateValidator(Set.of("c0"), 1000));
        RoundMessage message = server.message(1);
        ClientUpdate update = new FedBiOTClient("c0", model, new ExampleStream<>(examples(), 5), collator)
                .train(message);
        // the same batches, in the same order, straight into the engine
        ExampleStream<TokenizedExample> again = new ExampleStream<>(examples(), 5);
        List<List<Batch>> steps = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            steps.add(List.of(collator.collate(again.next(BATCH))));
        }
        var c = message.config();
        long seed = Seeds.derive(c.seed(), "c0");
        LocalTrainResult plain = model.trainLocal(new LocalTrainRequest(c.stack(), c.lora(), message.emulatorLora(),
                message.adapterLora(), steps, c.optimizer(), 0.0, true, seed));
        LocalTrainResult prox = model.trainLocal(new LocalTrainRequest(c.stack(), c.lora(), message.emulatorLora(),
                message.adapterLora(), steps, c.optimizer(), 50.0, true, seed));
        return new Round(message, update, plain, prox);
    }

    private static boolean sameTensors(NamedTensors x, NamedTensors y) {
        return x.names().equals(y.names()) && x.names().stream().allMatch(n -> x.get(n).contentEquals(y.get(n)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fedot", "offsite", "fedavg-full"})
    void baselineClientsTrainOnPlainCrossEntropyUnlessTheWeightIsSet(String algorithm) {
        Round r = round(config(algorithm, ""));
        assertThat(r.message().config().proximalWeight()).isZero();
        // the proximal term would change the result: the comparison below can fail
        assertThat(sameTensors(r.plainCe().trainedLora(), r.proximal().trainedLora())).isFalse();
        assertThat(sameTensors(r.update().adapterLora(), r.plainCe().trainedLora()))
                .as("the %s client's adapter after one round equals plain-CE training, bit for bit", algorithm)
                .isTrue();
        assertThat(r.update().metrics().get(ClientUpdate.TRAIN_LOSS)).isEqualTo(r.plainCe().meanLoss());

        Round set = round(config(algorithm, ", proximal_weight: 50.0"));
        assertThat(set.message().config().proximalWeight()).isEqualTo(50.0);
        assertThat(sameTensors(set.update().adapterLora(), set.proximal().trainedLora()))
                .as("an explicit client.proximal_weight applies to %s", algorithm).isTrue();
    }

    @Test
    void fedbiotKeepsItsProximalTermByDefault() {
        FedbiotConfig c = config("fedbiot", "");
        assertThat(c.client().proximalWeight()).isNull();
        TrainingStrategy strategy = TrainingStrategy.of(c, SPEC.numLayers());
        FedBiOTServer server = new FedBiOTServer(model, strategy, ServerSettings.of(c.withRounds(1), strategy, c.lora()
                .forArchitecture(SPEC.architecture())), new ExampleStream<>(examples(), 1), new BatchCollator(0),
                new FedAvgAggregator(), new UpdateValidator(Set.of(), 1000));
        assertThat(server.message(1).config().proximalWeight()).isEqualTo(1.0);
    }
}
