/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.BearerToken;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.EmulatorAligner;
import io.github.fedbiot.flower.fedbiotapp.client.FedBiOTClientApp;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.local.TestCertificates;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FedBiOT over a real flwr 1.42.0 SuperLink: the Python ServerApp ({@code python/flower/fedbiot_app}, Flower's
 * FedAvg on the adapter LoRA) drives the Java emulator aligner over gRPC, and three Java SuperNodes run the FedBiOT
 * client update with the DJL engine on a tiny random LLaMA that the engine wrote to a temporary directory (so the
 * aligner and the nodes load the same weights). Two rounds.
 *
 * <p>Checks: every node trained against exactly the emulator LoRA the aligner produced for that round (after
 * pre-alignment for round 1, after aligning to the round-1 aggregate for round 2); the adapter LoRA broadcast in
 * round 2 and the final one sent to the aligner are the example-weighted means of the nodes' updates; the
 * emulator LoRA really changed through alignment.
 */
class FedBiOTOverFlowerTest {
    /** The Flower venv the tests run against: flwr 1.42.0, or another (the flwr-nightly profile). */
    static final String VENV = System.getProperty("fedbiot.flwr.venv", "flwr-1.42");
    static final String REQUIREMENTS = System.getProperty("fedbiot.flwr.requirements",
            "python/flower/requirements-flwr.txt");
    static final int ROUNDS = 2;
    static final int NODES = 3;

    @TempDir
    Path work;

    /** What one node received and sent in one round. */
    record Exchange(RoundMessage received, ClientUpdate sent) {}

    @Test
    void twoRoundsWithThreeJavaNodes() throws Exception {
        Path bin = FlowerEnv.venvBin(VENV, REQUIREMENTS);
        Path config = writeFixture();
        FedbiotConfig cfg = FedbiotConfigReader.read(config);

        List<BaseModel> models = new ArrayList<>();
        List<SuperNode> nodes = new ArrayList<>();
        List<Map<Integer, Exchange>> exchanges = new ArrayList<>();
        // The aligner serves TLS and wants a token: the ServerApp trusts its CA and reads the token from a file.
        TestCertificates tls = TestCertificates.create(work.resolve("aligner-tls"), "fedbiot aligner CA");
        String secret = "aligner-token-" + Long.toHexString(new java.security.SecureRandom().nextLong()) + "x1";
        Path tokenFile = Files.writeString(work.resolve("aligner.token"), secret + "\n");
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("link"), false, false)) {
            try {
                BaseModel serverModel = Engines.get("djl").load(Path.of(cfg.model().dir()));
                models.add(serverModel);
                try (EmulatorAligner aligner = EmulatorAligner.builder().setConfig(cfg).setModel(serverModel)
                        .setSecurity(AlignerSecurity.tls(tls.serverCert(), tls.serverKey(), null,
                                BearerToken.read(tokenFile)))
                        .optOutputDir(work.resolve("out")).build().start()) {
                    startNodes(link, cfg, NODES, models, nodes, exchanges);
                    String conn = link.writeCliConfig();
                    Path result = work.resolve("result.json");
                    String out = link.flwr(Duration.ofMinutes(2), "run",
                            FlowerEnv.root().resolve("python/flower/fedbiot_app").toString(), conn, "--run-config",
                            "aligner-address=\"" + aligner.address() + "\" aligner-root-certificates=\""
                                    + tls.caCert() + "\" aligner-token-file=\"" + tokenFile + "\" min-nodes=" + NODES
                                    + " num-server-rounds=" + ROUNDS + " result-file=\"" + result + "\"");
                    assertThat(out).contains("Successfully started run");
                    if (!aligner.session().awaitFinish(4, TimeUnit.MINUTES)) {
                        throw new AssertionError("the ServerApp did not finish within 4 minutes; SuperLink log:\n"
                                + link.logText());
                    }
                    FedAvgInteropTest.awaitFile(result, Duration.ofSeconds(30), link);

                    for (int round = 1; round <= ROUNDS; round++) {
                        NamedTensors emulator = aligner.session().emulatorForRound(round);
                        assertThat(emulator).as("aligner's emulator LoRA of round %d", round).isNotNull();
                        assertThat(emulator.isEmpty()).isFalse();
                        for (int i = 0; i < NODES; i++) {
                            Exchange x = exchanges.get(i).get(round);
                            assertThat(x).as("node %d trained in round %d", i, round).isNotNull();
                            assertThat(x.received().emulatorLora()).as("node %d's emulator LoRA in round %d", i, round)
                                    .isEqualTo(emulator);
                        }
                    }
                    assertThat(aligner.session().emulatorForRound(2).maxAbsDiff(aligner.session().emulatorForRound(1)))
                            .as("alignment before round 2 changed the emulator LoRA").isGreaterThan(0);

                    // Round 2's broadcast adapter = FedAvg of round 1's updates; the final one = FedAvg of round 2's.
                    NamedTensors mean1 = weightedMean(exchanges, 1);
                    for (int i = 0; i < NODES; i++) {
                        assertClose(exchanges.get(i).get(2).received().adapterLora(), mean1,
                                "round-2 adapter at node " + i);
                    }
                    assertClose(aligner.session().aggregatedAdapter(1), mean1,
                            "adapter the aligner aligned to before round 2");
                    assertClose(aligner.session().aggregatedAdapter(2), weightedMean(exchanges, 2), "final adapter");
                    assertThat(mean1.maxAbsDiff(exchanges.get(0).get(1).received().adapterLora()))
                            .as("round 1 training changed the adapter").isGreaterThan(0);
                    assertThat(work.resolve("out/adapter_lora.safetensors")).isRegularFile();
                    assertThat(nodes).allSatisfy(n -> assertThat(n.errorRepliesSent()).isZero());
                    // The ServerApp's log (flwr log) shows it ran against the TLS aligner; it and the SuperLink's
                    // log hold no secret.
                    String runId = link.flwr(Duration.ofSeconds(60), "ls", conn, "--format", "json")
                            .replaceAll("(?s).*\"run-id\"\\s*:\\s*\"?(\\d+).*", "$1");
                    String log = link.flwr(Duration.ofSeconds(60), "log", runId, conn, "--show") + link.logText();
                    assertThat(log).contains("[fedbiot]").doesNotContain(secret);
                    for (String line : Files.readAllLines(tls.serverKey())) {
                        if (!line.startsWith("-----")) {
                            assertThat(log).doesNotContain(line);
                        }
                    }
                }
            } finally {
                nodes.forEach(SuperNode::close);      // before the SuperLink stops, so that they deactivate cleanly
            }
        } finally {
            models.forEach(BaseModel::close);
        }
    }

    /**
     * The ServerApp starts the aligner itself ({@code aligner-command}: a {@code java -cp ...} process) and stops
     * it at the end; one round with two nodes. The final files the aligner writes hold the emulator LoRA the nodes
     * trained against and the example-weighted mean of their adapters.
     */
    @Test
    void serverAppStartsTheAlignerProcess() throws Exception {
        Path bin = FlowerEnv.venvBin(VENV, REQUIREMENTS);
        Path config = writeFixture();
        FedbiotConfig cfg = FedbiotConfigReader.read(config);
        Path out = work.resolve("out");
        String java = ProcessHandle.current().info().command().orElse("java");
        String command = java + " -Xmx1g -Dai.djl.offline=true -cp " + System.getProperty("java.class.path") + " "
                + AlignerMain.class.getName() + " " + config + " " + out;
        List<BaseModel> models = new ArrayList<>();
        List<SuperNode> nodes = new ArrayList<>();
        List<Map<Integer, Exchange>> exchanges = new ArrayList<>();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("link"), false, false)) {
            try {
                startNodes(link, cfg, 2, models, nodes, exchanges);
                Path result = work.resolve("result.json");
                String runOut = link.flwr(Duration.ofMinutes(2), "run",
                        FlowerEnv.root().resolve("python/flower/fedbiot_app").toString(), link.writeCliConfig(),
                        "--run-config", "aligner-command=\"" + command + "\" aligner-insecure=true min-nodes=2 "
                                + "num-server-rounds=1 "
                                + "result-file=\"" + result + "\"");
                assertThat(runOut).contains("Successfully started run");
                FedAvgInteropTest.awaitFile(result, Duration.ofMinutes(4), link);
            } finally {
                nodes.forEach(SuperNode::close);
            }
        } finally {
            models.forEach(BaseModel::close);
        }
        NamedTensors emulator;
        NamedTensors adapter;
        try (SafetensorsReader r = SafetensorsReader.open(out.resolve("emulator_lora.safetensors"))) {
            emulator = r.readAll();
        }
        try (SafetensorsReader r = SafetensorsReader.open(out.resolve("adapter_lora.safetensors"))) {
            adapter = r.readAll();
        }
        for (Map<Integer, Exchange> e : exchanges) {
            assertThat(e.get(1)).as("every node trained in round 1").isNotNull();
            assertThat(e.get(1).received().emulatorLora()).isEqualTo(emulator);
        }
        assertClose(adapter, weightedMean(exchanges, 1), "final adapter written by the aligner process");
    }

    /**
     * Starts {@code count} Java SuperNodes running the FedBiOT client app on partitions 0.., each on its own model,
     * recording what each received and sent per round in {@code exchanges}.
     */
    static void startNodes(SuperLinkProcess link, FedbiotConfig cfg, int count, List<BaseModel> models,
            List<SuperNode> nodes, List<Map<Integer, Exchange>> exchanges) throws Exception {
        for (int i = 0; i < count; i++) {
            BaseModel m = Engines.get("djl").load(Path.of(cfg.model().dir()));
            models.add(m);
            Map<Integer, Exchange> seen = new ConcurrentHashMap<>();
            exchanges.add(seen);
            FedBiOTClientApp app = FedBiOTClientApp.fromConfig(cfg, m, i)
                    .addListener((msg, upd) -> seen.put(msg.round(), new Exchange(msg, upd)));
            nodes.add(SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                    .setClientApp(app.clientApp()).optPollInterval(Duration.ofMillis(200)).build().start());
        }
    }

    static NamedTensors weightedMean(List<Map<Integer, Exchange>> exchanges, int round) {
        double total = 0;
        for (Map<Integer, Exchange> e : exchanges) {
            total += e.get(round).sent().samples();
        }
        NamedTensors first = exchanges.get(0).get(round).sent().adapterLora();
        NamedTensors.Builder b = NamedTensors.builder();
        for (String name : first.names()) {
            int n = first.get(name).numel();
            double[] acc = new double[n];
            for (Map<Integer, Exchange> e : exchanges) {
                ClientUpdate u = e.get(round).sent();
                float[] d = u.adapterLora().get(name).data();
                for (int k = 0; k < n; k++) {
                    acc[k] += u.samples() / total * d[k];
                }
            }
            float[] f = new float[n];
            for (int k = 0; k < n; k++) {
                f[k] = (float) acc[k];
            }
            b.add(name, new Tensor(first.get(name).shape(), f));
        }
        return b.build();
    }

    static void assertClose(NamedTensors actual, NamedTensors expected, String what) {
        assertThat(actual).as(what).isNotNull();
        assertThat(actual.names()).as(what + " names").containsExactlyElementsOf(expected.names());
        for (String name : expected.names()) {
            Tensor a = actual.get(name);
            Tensor e = expected.get(name);
            assertThat(a.shape()).as(what + " " + name).containsExactly(e.shape());
            for (int k = 0; k < e.numel(); k++) {
                assertThat((double) a.data()[k]).as("%s %s[%d]", what, name, k)
                        .isCloseTo(e.data()[k], Offset.offset(1e-6 + 1e-5 * Math.abs(e.data()[k])));
            }
        }
    }

    /** Writes the tiny model, the data files and the configuration; returns the configuration file. */
    private Path writeFixture() throws Exception {
        return writeFixture(work);
    }

    /** Writes a tiny random LLaMA, training and public data and a FedBiOT configuration under {@code work}. */
    static Path writeFixture(Path work) throws Exception {
        Path model = work.resolve("model");
        Path tk = Path.of(FedBiOTOverFlowerTest.class.getResource("tokenizer.json").toURI());
        try (DjlBaseModel m = DjlBaseModel.random(ModelSpec.llama(64, 32, 4, 4, 2, 64, 64, true), 1, 0.3, tk)) {
            m.save(model);
        }
        String[] words = {"the cat sat on the mat", "a dog ran fast", "the big red dog", "a small blue cat",
            "one two three", "four five six", "it was slow", "the dog is big"};
        StringBuilder train = new StringBuilder();
        StringBuilder pub = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            train.append("{\"instruction\": \"").append(words[i % words.length]).append("\", \"input\": \"\", ")
                    .append("\"output\": \"").append(words[(i + 3) % words.length]).append(" .\"}\n");
            pub.append("{\"instruction\": \"").append(words[(i + 5) % words.length]).append(" ?\", \"input\": \"\", ")
                    .append("\"output\": \"").append(words[(i + 1) % words.length]).append("\"}\n");
        }
        Files.writeString(work.resolve("train.jsonl"), train);
        Files.writeString(work.resolve("public.jsonl"), pub);
        Path config = work.resolve("fedbiot.yaml");
        Files.writeString(config, """
                seed: 11
                algorithm: fedbiot
                model:
                  dir: model
                data:
                  train: train.jsonl
                  public: public.jsonl
                  partition: iid
                  clients: 3
                  validation_fraction: 0.0
                  test_fraction: 0.0
                  max_length: 64
                plan:
                  adapter_layers: 1
                  drop_rate: 0.5
                lora:
                  rank: 2
                  alpha: 4
                  dropout: 0.0
                optimizer:
                  lr: 0.01
                client:
                  local_steps: 2
                  batch_size: 2
                  grad_accum: 1
                server:
                  align_steps: 2
                  pre_align_rounds: 1
                  batch_size: 2
                  grad_accum: 1
                federation:
                  rounds: 2
                """);
        return config;
    }
}
