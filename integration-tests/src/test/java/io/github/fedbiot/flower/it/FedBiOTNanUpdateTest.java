/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static io.github.fedbiot.flower.it.FedBiOTOverFlowerTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.fedbiotapp.FedBiOTRecords;
import io.github.fedbiot.flower.fedbiotapp.client.FedBiOTClientApp;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.EmulatorAligner;
import io.github.fedbiot.flower.it.FedBiOTOverFlowerTest.Exchange;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over a real flwr 1.42.0 SuperLink, a node whose update holds NaN is rejected by the Java aligner's update
 * validation, as the simulation rejects it, and the run completes with the other nodes: three Java SuperNodes, the
 * third answering every round with a NaN adapter LoRA, {@code min-replies=2}, two rounds. The aggregates the
 * aligner accepts are the example-weighted means of the two good nodes' updates, and they are what round 2
 * broadcasts and what the aligner writes.
 */
class FedBiOTNanUpdateTest {
    @TempDir
    Path work;

    @Test
    void aNodesNanUpdateIsRejectedAndTheRunCompletesWithTheOthers() throws Exception {
        Path bin = FlowerEnv.venvBin(FedBiOTOverFlowerTest.VENV, FedBiOTOverFlowerTest.REQUIREMENTS);
        FedbiotConfig cfg = FedbiotConfigReader.read(FedBiOTOverFlowerTest.writeFixture(work));
        List<BaseModel> models = new ArrayList<>();
        List<SuperNode> nodes = new ArrayList<>();
        List<Map<Integer, Exchange>> good = new ArrayList<>();
        AtomicInteger nanReplies = new AtomicInteger();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("link"), false, false)) {
            try {
                BaseModel serverModel = Engines.get("djl").load(Path.of(cfg.model().dir()));
                models.add(serverModel);
                try (EmulatorAligner aligner = EmulatorAligner.builder().setConfig(cfg).setModel(serverModel)
                        .setSecurity(AlignerSecurity.plaintext(null))
                        .optOutputDir(work.resolve("out")).build().start()) {
                    FedBiOTOverFlowerTest.startNodes(link, cfg, 2, models, nodes, good);
                    BaseModel m = Engines.get("djl").load(Path.of(cfg.model().dir()));
                    models.add(m);
                    nodes.add(SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                            .setClientApp(nanClientApp(FedBiOTClientApp.fromConfig(cfg, m, 2), nanReplies))
                            .optPollInterval(Duration.ofMillis(200)).build().start());

                    Path result = work.resolve("result.json");
                    String out = link.flwr(Duration.ofMinutes(2), "run",
                            FlowerEnv.root().resolve("python/flower/fedbiot_app").toString(), link.writeCliConfig(),
                            "--run-config", "aligner-insecure=true aligner-address=\"" + aligner.address() + "\" min-nodes=3 "
                                    + "min-replies=2 num-server-rounds=2 result-file=\"" + result + "\"");
                    assertThat(out).contains("Successfully started run");
                    if (!aligner.session().awaitFinish(4, TimeUnit.MINUTES)) {
                        throw new AssertionError("the ServerApp did not finish within 4 minutes; SuperLink log:\n"
                                + link.logText());
                    }
                    FedAvgInteropTest.awaitFile(result, Duration.ofSeconds(30), link);

                    assertThat(nanReplies.get()).as("the NaN node answered both rounds").isEqualTo(2);
                    NamedTensors mean1 = FedBiOTOverFlowerTest.weightedMean(good, 1);
                    assertClose(aligner.session().aggregatedAdapter(1), mean1, "aggregate of round 1");
                    assertClose(aligner.session().aggregatedAdapter(2), FedBiOTOverFlowerTest.weightedMean(good, 2),
                            "final adapter");
                    for (int i = 0; i < 2; i++) {
                        assertClose(good.get(i).get(2).received().adapterLora(), mean1, "round-2 adapter at node " + i);
                    }
                    assertThat(aligner.session().aggregatedAdapter(2).isFinite()).isTrue();
                    assertThat(work.resolve("out/adapter_lora.safetensors")).isRegularFile();
                    assertThat(nodes).allSatisfy(n -> assertThat(n.errorRepliesSent()).isZero());
                }
            } finally {
                nodes.forEach(SuperNode::close);
            }
        } finally {
            models.forEach(BaseModel::close);
        }
    }

    /** The FedBiOT client app, with every tensor of the update it sends replaced by NaN (same names, shapes). */
    private static ClientApp nanClientApp(FedBiOTClientApp app, AtomicInteger replies) {
        return ClientApp.builder().optTrain((msg, ctx) -> {
            ClientUpdate u = FedBiOTRecords.clientUpdate(app.clientId(), app.train(msg));
            NamedTensors.Builder nan = NamedTensors.builder();
            u.adapterLora().asMap().forEach((name, t) -> {
                float[] d = new float[t.numel()];
                Arrays.fill(d, Float.NaN);
                nan.add(name, new Tensor(t.shape(), d));
            });
            replies.incrementAndGet();
            return FedBiOTRecords.toRecordDict(new ClientUpdate(u.clientId(), u.samples(), nan.build(), u.metrics()));
        }).build();
    }
}
