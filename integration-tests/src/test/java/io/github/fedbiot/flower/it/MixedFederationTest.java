/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.PythonProcess;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixed federation on a real flwr 1.42.0 SuperLink: one Java SuperNode and one Python {@code flower-supernode}
 * running the app's NumPy ClientApp (adds 0.2 to every element, 20 examples). FedAvg must average both.
 */
class MixedFederationTest {
    @TempDir
    Path work;

    @Test
    void javaAndPythonNodesTrainTogether() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        runMixed(bin, work, 2, List.of());
    }

    /** Runs FedAvg with one Java and one Python node and checks the average; shared with the SQLite test. */
    static void runMixed(Path bin, Path work, int rounds, List<String> linkArgs) throws Exception {
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false, 0, linkArgs);
                PythonProcess py = PythonProcess.start(bin, work, "flower-supernode", List.of("--insecure",
                        "--superlink", "127.0.0.1:" + link.fleetPort(), "--port", String.valueOf(FlowerEnv.freePort()),
                        "--node-config", "partition-id=1"))) {
            RecordingClient java = new RecordingClient(0);
            try (SuperNode node = SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                    .setClientApp(java.toClientApp()).optPollInterval(Duration.ofMillis(200)).build().start()) {
                Path result = work.resolve("result.json");
                link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/fedavg_app").toString(),
                        link.writeCliConfig(), "--run-config",
                        "result-file=\"" + result + "\" num-server-rounds=" + rounds);
                try {
                    FedAvgInteropTest.awaitFile(result, Duration.ofMinutes(3), link);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nflower-supernode log:\n" + py.logText(), e);
                }
                JsonNode json = new ObjectMapper().readTree(result.toFile());
                NamedTensors sent = java.sent.get((long) rounds);
                NamedTensors global = java.received.get((long) rounds);
                for (String name : List.of("0", "1", "2")) {
                    Tensor s = sent.get(name);
                    Tensor g = global.get(name);
                    JsonNode data = json.get("arrays").get(name).get("data");
                    double tol = name.equals("2") ? 2e-2 : 1e-5;
                    for (int i = 0; i < s.numel(); i++) {
                        double expected = (10 * (double) s.data()[i] + 20 * ((double) g.data()[i] + 0.2)) / 30;
                        assertThat(data.get(i).asDouble()).as("%s[%d]", name, i)
                                .isCloseTo(expected, Offset.offset(tol * Math.max(1, Math.abs(expected))));
                    }
                }
                assertThat(node.errorRepliesSent()).isZero();
            }
        }
    }
}
