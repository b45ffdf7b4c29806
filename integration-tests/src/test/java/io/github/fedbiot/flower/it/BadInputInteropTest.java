/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.supernode.SuperNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python ServerApp ({@code python/flower/probe_app}) sends a Java SuperNode, through Flower's Grid on a real
 * flwr 1.42.0 SuperLink, an unknown message type, an int64 array for a float client and then a valid train
 * message: the first two come back to the ServerApp as error replies naming the problem, the third is answered
 * normally by the same, still running node. A fourth message shows that handlers see the run config as Flower
 * computes it (FAB defaults + {@code --run-config} overrides).
 */
class BadInputInteropTest {
    @TempDir
    Path work;

    @Test
    void errorRepliesReachTheServerAppAndTheNodeKeepsRunning() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        ClientApp base = new RecordingClient(0).toClientApp();
        ClientApp app = ClientApp.builder().optTrain(base.handlerFor("train").orElseThrow())
                .addHandler("query.config", (msg, ctx) -> RecordDict.builder()
                        .add("config", ConfigRecord.of(ctx.runConfig())).build())
                .build();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false);
                SuperNode node = SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                        .optPollInterval(Duration.ofMillis(200)).setClientApp(app).build().start()) {
            Path result = work.resolve("result.json");
            link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/probe_app").toString(),
                    link.writeCliConfig(), "--run-config", "result-file=\"" + result + "\" lr=0.25");
            FedAvgInteropTest.awaitFile(result, Duration.ofMinutes(3), link);
            JsonNode r = new ObjectMapper().readTree(result.toFile());
            System.out.println("probe replies: " + r);
            assertThat(r.get(0).get("error").asBoolean()).isTrue();
            assertThat(r.get(0).get("code").asInt()).isEqualTo(0);
            assertThat(r.get(0).get("reason").asText()).contains("no handler for message type 'query.unknown'");
            assertThat(r.get(1).get("error").asBoolean()).isTrue();
            assertThat(r.get(1).get("code").asInt()).isEqualTo(2);
            assertThat(r.get(1).get("reason").asText()).contains("array '0'").contains("int64");
            assertThat(r.get(2).get("error").asBoolean()).isFalse();
            // RecordingClient 0 in round 1: x * 1 + 0.1
            assertThat(r.get(2).get("arrays")).extracting(JsonNode::asDouble)
                    .allSatisfy(v -> assertThat(v).isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-6)));
            // The run config the Java handler saw: pyproject defaults (nested table flattened) + --run-config.
            JsonNode config = r.get(3).get("config");
            assertThat(config.get("result-file").asText()).isEqualTo(result.toString());
            assertThat(config.get("greeting").asText()).isEqualTo("hello");
            assertThat(config.get("lr").asDouble()).isEqualTo(0.25);
            assertThat(config.get("probe.level").asLong()).isEqualTo(7);
            assertThat(node.errorRepliesSent()).isEqualTo(2);
            assertThat(node.repliesSent()).isEqualTo(4);
        }
    }
}
