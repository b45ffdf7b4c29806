/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java SuperNode process crashes in round 2 after pulling its instruction: the flwr 1.42.0 SuperLink declares
 * it offline (no heartbeat), FedAvg closes round 2 with the other node's reply alone, and the node, restarted
 * with the same key file, rejoins under the same node id and trains in round 3.
 */
class NodeCrashTest {
    private static final Pattern ACTIVATED = Pattern.compile("\\[node (\\d+)\\] activated");

    @TempDir
    Path work;

    @Test
    void runCompletesWhenANodeCrashesMidRoundAndTheNodeRejoins() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        Path key = work.resolve("node-b.key");
        RecordingClient a = new RecordingClient(0);
        List<Process> processes = new ArrayList<>();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false);
                SuperNode nodeA = SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                        .optHeartbeatInterval(Duration.ofSeconds(10)).optPollInterval(Duration.ofMillis(200))
                        .setClientApp(a.toClientApp()).optNodeConfig(Map.of()).build().start()) {
            Path log1 = work.resolve("node-b-1.log");
            Process b1 = startNode(link, key, 2, log1);
            processes.add(b1);
            Path result = work.resolve("result.json");
            link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/fedavg_app").toString(),
                    link.writeCliConfig(), "--run-config", "result-file=\"" + result + "\" num-server-rounds=3");
            assertThat(b1.waitFor(3, TimeUnit.MINUTES)).as("node B crashed").isTrue();
            assertThat(b1.exitValue()).isEqualTo(137);
            // The SuperLink must first see the crashed node as offline (2 missed heartbeat intervals of 10 s), so
            // that round 2 closes with NODE_UNAVAILABLE; a node re-activated earlier under the same id would be
            // expected to answer the instruction its crashed predecessor had already pulled.
            Thread.sleep(28_000);
            Path log2 = work.resolve("node-b-2.log");
            Process b2 = startNode(link, key, 0, log2);
            processes.add(b2);
            FedAvgInteropTest.awaitFile(result, Duration.ofMinutes(4), link);

            assertThat(nodeId(log2)).as("rejoined under the same node id").isEqualTo(nodeId(log1));
            // Round 2 was aggregated from node A alone: what A received in round 3 is what it sent in round 2.
            assertThat(a.received.get(3L).maxAbsDiff(a.sent.get(2L))).isLessThan(1e-3);
            // Round 3: A and the restarted B (k = 1, 20 examples) both trained.
            JsonNode json = new ObjectMapper().readTree(result.toFile());
            NamedTensors g = a.received.get(3L);
            NamedTensors s = a.sent.get(3L);
            for (String name : List.of("0", "1")) {
                Tensor gt = g.get(name);
                Tensor st = s.get(name);
                JsonNode data = json.get("arrays").get(name).get("data");
                for (int i = 0; i < gt.numel(); i++) {
                    double b = gt.data()[i] * 1.01 + 0.2 * 3;
                    double expected = (10 * (double) st.data()[i] + 20 * b) / 30;
                    assertThat(data.get(i).asDouble()).as("%s[%d]", name, i)
                            .isCloseTo(expected, Offset.offset(1e-4 * Math.max(1, Math.abs(expected))));
                }
            }
            assertThat(nodeA.errorRepliesSent()).isZero();
        } catch (AssertionError | RuntimeException e) {
            StringBuilder logs = new StringBuilder(e.getMessage() == null ? "" : e.getMessage());
            for (String f : List.of("node-b-1.log", "node-b-2.log", "superlink.log")) {
                Path p = work.resolve(f);
                logs.append("\n---- ").append(f).append(":\n")
                        .append(Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "(none)");
            }
            throw new AssertionError(logs.toString(), e);
        } finally {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private Process startNode(SuperLinkProcess link, Path key, int crashRound, Path log) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", cp, NodeMain.class.getName(), link.fleetAddress(), key.toString(), "1",
                String.valueOf(crashRound)).redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static String nodeId(Path log) throws Exception {
        return nodeId(log, 30);
    }

    /** Waits up to {@code seconds} for a node's "activated" line in its log and returns its node id. */
    static String nodeId(Path log, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Matcher m = ACTIVATED.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node never activated:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
}
