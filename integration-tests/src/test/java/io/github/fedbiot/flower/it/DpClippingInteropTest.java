/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.Mod;
import io.github.fedbiot.flower.app.mod.AdaptiveClippingMod;
import io.github.fedbiot.flower.app.mod.FixedClippingMod;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.PythonProcess;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.privacy.UpdateClipping;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flower's client-side DP on a real flwr 1.42.0 SuperLink: an unmodified Python ServerApp wraps FedAvg in
 * {@code DifferentialPrivacyClientSideFixedClipping} / {@code ...AdaptiveClipping} ({@code python/flower/dp_app},
 * noise multiplier 0 so the aggregate is exact), the Java nodes run {@link FixedClippingMod} /
 * {@link AdaptiveClippingMod}, and in the mixed run a Python {@code flower-supernode} runs Flower's own
 * {@code adaptiveclipping_mod}. Each Java reply's update must have norm {@code min(norm, C)} for the round's C,
 * the final arrays must be FedAvg of the clipped updates, and the adaptive C must follow the norm bits.
 */
class DpClippingInteropTest {
    static final double C0 = 0.5;

    @TempDir
    Path work;

    @Test
    void fixedClippingWithTwoJavaNodes() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false, 0, List.of())) {
            List<ClippedNode> nodes = List.of(new ClippedNode(0, new FixedClippingMod()),
                    new ClippedNode(1, new FixedClippingMod()));
            JsonNode json = run(link, nodes, "fixed", 2, null);
            for (ClippedNode n : nodes) {
                assertClipped(n, 1, C0);
                assertClipped(n, 2, C0);
            }
            assertAggregate(json, nodes, null, C0);
            assertThat(json.get("final_clipping_norm").asDouble()).isEqualTo(C0);
        }
    }

    @Test
    void adaptiveClippingWithJavaAndPythonNodes() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false, 0, List.of());
                PythonProcess py = PythonProcess.start(bin, work, "flower-supernode", List.of("--insecure",
                        "--superlink", "127.0.0.1:" + link.fleetPort(), "--port", String.valueOf(FlowerEnv.freePort()),
                        "--node-config", "partition-id=2"))) {
            List<ClippedNode> nodes = List.of(new ClippedNode(0, new AdaptiveClippingMod()),
                    new ClippedNode(1, new AdaptiveClippingMod()));
            JsonNode json = run(link, nodes, "adaptive", 3, py);
            // round 1: node 0's update (norm ~0.37) is below C0, node 1's (~0.73) and Python's (~1.08) above
            assertThat(nodes.get(0).normBits.get(1L)).isZero();
            assertThat(nodes.get(1).normBits.get(1L)).isEqualTo(1);
            double c1 = C0 * Math.exp(-0.2 * (2.0 / 3 - 0.5)); // clipped_count_stddev 0 when z = 0
            assertThat(json.get("round_clipping_norms").get(1).asDouble()).isCloseTo(c1, Offset.offset(1e-12));
            for (ClippedNode n : nodes) {
                assertClipped(n, 1, C0);
                assertClipped(n, 2, c1);
            }
            assertAggregate(json, nodes, 2, c1);
            double c2 = c1 * Math.exp(-0.2 * (1.0 - 0.5)); // round 2: all three clipped
            assertThat(json.get("final_clipping_norm").asDouble()).isCloseTo(c2, Offset.offset(1e-12));
        }
    }

    /** Starts the Java nodes, runs the DP app and returns its result. */
    private JsonNode run(SuperLinkProcess link, List<ClippedNode> nodes, String dp, int minNodes, PythonProcess py)
            throws Exception {
        List<SuperNode> started = new ArrayList<>();
        try {
            for (ClippedNode n : nodes) {
                started.add(SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                        .setClientApp(n.app()).optPollInterval(Duration.ofMillis(200)).build().start());
            }
            Path result = work.resolve("result.json");
            link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/dp_app").toString(),
                    link.writeCliConfig(), "--run-config", "result-file=\"" + result + "\" dp=\"" + dp
                            + "\" min-nodes=" + minNodes + " clipping-norm=" + C0);
            try {
                FedAvgInteropTest.awaitFile(result, Duration.ofMinutes(3), link);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + (py == null ? "" : "\nflower-supernode log:\n"
                        + py.logText()), e);
            }
            assertThat(started).allSatisfy(s -> assertThat(s.errorRepliesSent()).isZero());
            return new ObjectMapper().readTree(result.toFile());
        } finally {
            started.forEach(SuperNode::close);
        }
    }

    /**
     * The Java node's clipped update in a round has norm min(trained norm, C), up to the float16 rounding of the
     * third array (at most 2^-11 of each of its three elements, about 1e-3 in norm).
     */
    private static void assertClipped(ClippedNode n, long round, double c) {
        NamedTensors received = n.client.received.get(round);
        double trained = UpdateClipping.updateNorm(n.client.sent.get(round), received);
        double clipped = UpdateClipping.updateNorm(n.replied.get(round), received);
        assertThat(clipped).as("node %d round %d", n.client.k, round)
                .isCloseTo(Math.min(trained, c), Offset.offset(2e-3));
    }

    /**
     * The final arrays are the example-weighted FedAvg of the last round's clipped updates: the Java nodes' as
     * they replied, the Python node's ({@code +0.3} on every element) clipped to C here.
     */
    private static void assertAggregate(JsonNode json, List<ClippedNode> nodes, Integer pythonPid, double c) {
        long round = 2;
        NamedTensors global = nodes.get(0).client.received.get(round);
        List<NamedTensors> sent = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (ClippedNode n : nodes) {
            sent.add(n.replied.get(round));
            weights.add((double) n.client.numExamples());
        }
        if (pythonPid != null) {
            NamedTensors.Builder b = NamedTensors.builder();
            global.asMap().forEach((name, t) -> {
                float[] d = t.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] += (pythonPid + 1) / 10f;
                }
                b.add(name, new io.github.fedbiot.tensor.Tensor(t.shape(), d));
            });
            sent.add(UpdateClipping.clip(b.build(), global, c).clipped());
            weights.add(10.0 * (pythonPid + 1));
        }
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        for (String name : List.of("0", "1", "2")) {
            JsonNode data = json.get("arrays").get(name).get("data");
            double tol = name.equals("2") ? 2e-2 : 1e-4;
            for (int i = 0; i < global.get(name).numel(); i++) {
                double expected = 0;
                for (int j = 0; j < sent.size(); j++) {
                    expected += weights.get(j) / total * sent.get(j).get(name).data()[i];
                }
                assertThat(data.get(i).asDouble()).as("%s[%d]", name, i)
                        .isCloseTo(expected, Offset.offset(tol * Math.max(1, Math.abs(expected))));
            }
        }
    }

    /** A recording Java node whose replies pass through a clipping mod; an outer mod records what left it. */
    static final class ClippedNode {
        final RecordingClient client;
        final Mod clipping;
        final Map<Long, NamedTensors> replied = new ConcurrentHashMap<>();
        final Map<Long, Long> normBits = new ConcurrentHashMap<>();

        ClippedNode(int k, Mod clipping) {
            this.client = new RecordingClient(k);
            this.clipping = clipping;
        }

        ClientApp app() {
            Mod recorder = (msg, ctx, next) -> {
                RecordDict reply = next.handle(msg, ctx);
                if ("train".equals(msg.metadata().category())) {
                    long round = msg.content().configRecord("config").getLong("server-round");
                    replied.put(round, reply.arrayRecord("arrays").toNamedTensors());
                    var m = reply.metricRecord("metrics");
                    if (m.containsKey("norm_bit")) {
                        normBits.put(round, m.getLong("norm_bit"));
                    }
                }
                return reply;
            };
            return client.toClientApp().withMods(recorder, clipping);
        }
    }
}
