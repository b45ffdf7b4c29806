/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.EmulatorAligner;
import io.github.fedbiot.flower.fedbiotapp.client.FedBiOTClientApp;
import io.github.fedbiot.flower.it.FedBiOTOverFlowerTest.Exchange;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.serde.ObjectLimits;
import io.github.fedbiot.flower.supernode.SuperNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a FedBiOT run over a real flwr 1.42.0 SuperLink ends: a run whose rounds get fewer successful replies than
 * the minimum fails (with the nodes' errors) and writes no final adapter; and two runs of one configuration on the
 * same node processes train on the same data and send the same updates, whatever the nodes did before.
 */
class FedBiOTRunOutcomeTest {
    @TempDir
    Path work;

    @Test
    void aRunWhoseRepliesAllFailFailsWithTheNodesErrorsAndWritesNoAdapter() throws Exception {
        Path bin = FlowerEnv.venvBin(FedBiOTOverFlowerTest.VENV, FedBiOTOverFlowerTest.REQUIREMENTS);
        FedbiotConfig cfg = FedbiotConfigReader.read(FedBiOTOverFlowerTest.writeFixture(work));
        List<BaseModel> models = new ArrayList<>();
        List<SuperNode> nodes = new ArrayList<>();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("link"), false, false)) {
            try {
                BaseModel serverModel = Engines.get("djl").load(Path.of(cfg.model().dir()));
                models.add(serverModel);
                try (EmulatorAligner aligner = EmulatorAligner.builder().setConfig(cfg).setModel(serverModel)
                        .setSecurity(AlignerSecurity.plaintext(null))
                        .optOutputDir(work.resolve("out")).build().start()) {
                    for (int i = 0; i < 2; i++) {
                        BaseModel m = Engines.get("djl").load(Path.of(cfg.model().dir()));
                        models.add(m);
                        // Objects of at most 64 bytes: every instruction is refused and answered with an error.
                        nodes.add(SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                                .optLimits(new ObjectLimits(64, 1 << 20, 1000))
                                .setClientApp(FedBiOTClientApp.fromConfig(cfg, m, i).clientApp())
                                .optPollInterval(Duration.ofMillis(200)).build().start());
                    }
                    String out = link.flwr(Duration.ofMinutes(2), "run",
                            FlowerEnv.root().resolve("python/flower/fedbiot_app").toString(), link.writeCliConfig(),
                            "--run-config", "aligner-insecure=true aligner-address=\"" + aligner.address() + "\" min-nodes=2 "
                                    + "num-server-rounds=1");
                    assertThat(out).contains("Successfully started run");
                    String ls = "";
                    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                    while (!ls.contains("finished:")) {
                        assertThat(System.nanoTime()).as("the run ended; SuperLink log:\n" + link.logText())
                                .isLessThan(end);
                        Thread.sleep(1000);
                        ls = link.flwr(Duration.ofSeconds(60), "ls", "local", "--format", "json");
                    }
                    assertThat(ls).as("run status").contains("finished:failed").doesNotContain("finished:completed");
                    String runId = ls.replaceAll("(?s).*\"run-id\"\\s*:\\s*\"?(\\d+).*", "$1");
                    String log = link.flwr(Duration.ofSeconds(60), "log", runId, "local", "--show");
                    assertThat(log + link.logText()).as("the run's log names the nodes' errors")
                            .contains("fewer than min-replies = 2").contains("object");
                    assertThat(aligner.session().awaitFinish(1, TimeUnit.SECONDS)).as("Finish never called").isFalse();
                    assertThat(work.resolve("out/adapter_lora.safetensors")).doesNotExist();
                    assertThat(nodes).allSatisfy(n -> assertThat(n.errorRepliesSent()).isPositive());
                }
            } finally {
                nodes.forEach(SuperNode::close);
            }
        } finally {
            models.forEach(BaseModel::close);
        }
    }

    @Test
    void twoRunsOfOneConfigurationOnTheSameNodesSendTheSameUpdates() throws Exception {
        Path bin = FlowerEnv.venvBin(FedBiOTOverFlowerTest.VENV, FedBiOTOverFlowerTest.REQUIREMENTS);
        FedbiotConfig cfg = FedbiotConfigReader.read(FedBiOTOverFlowerTest.writeFixture(work));
        List<BaseModel> models = new ArrayList<>();
        List<SuperNode> nodes = new ArrayList<>();
        List<Map<Integer, Exchange>> seen = new ArrayList<>();
        List<List<Map<Integer, Exchange>>> runs = new ArrayList<>();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("link"), false, false)) {
            try {
                FedBiOTOverFlowerTest.startNodes(link, cfg, 2, models, nodes, seen);
                for (int run = 0; run < 2; run++) {
                    BaseModel serverModel = Engines.get("djl").load(Path.of(cfg.model().dir()));
                    models.add(serverModel);
                    try (EmulatorAligner aligner = EmulatorAligner.builder().setConfig(cfg).setModel(serverModel)
                            .setSecurity(AlignerSecurity.plaintext(null)).build().start()) {
                        link.flwr(Duration.ofMinutes(2), "run",
                                FlowerEnv.root().resolve("python/flower/fedbiot_app").toString(),
                                link.writeCliConfig(), "--run-config", "aligner-insecure=true aligner-address=\""
                                        + aligner.address() + "\" min-nodes=2 num-server-rounds=2");
                        assertThat(aligner.session().awaitFinish(4, TimeUnit.MINUTES)).as("run %d finished", run)
                                .isTrue();
                    }
                    List<Map<Integer, Exchange>> copy = new ArrayList<>();
                    seen.forEach(s -> {
                        copy.add(Map.copyOf(s));
                        s.clear();
                    });
                    runs.add(copy);
                }
            } finally {
                nodes.forEach(SuperNode::close);
            }
        } finally {
            models.forEach(BaseModel::close);
        }
        for (int i = 0; i < 2; i++) {
            for (int round = 1; round <= 2; round++) {
                Exchange a = runs.get(0).get(i).get(round);
                Exchange b = runs.get(1).get(i).get(round);
                assertThat(a).as("node %d trained in round %d of run 1", i, round).isNotNull();
                assertThat(b).as("node %d trained in round %d of run 2", i, round).isNotNull();
                assertThat(b.sent().samples()).isEqualTo(a.sent().samples());
                assertThat(b.sent().metric(io.github.fedbiot.algorithm.ClientUpdate.TRAIN_LOSS))
                        .as("node %d's train loss in round %d", i, round)
                        .isEqualTo(a.sent().metric(io.github.fedbiot.algorithm.ClientUpdate.TRAIN_LOSS));
                assertThat(b.sent().adapterLora().maxAbsDiff(a.sent().adapterLora())).as("node %d's update in round %d", i, round)
                        .isLessThan(1e-6);
            }
        }
    }
}
