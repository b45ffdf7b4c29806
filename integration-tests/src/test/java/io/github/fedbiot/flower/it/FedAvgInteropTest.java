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
import io.github.fedbiot.flower.supernode.SuperNodeBuilder;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Java SuperNodes join a real flwr 1.42.0 SuperLink (HTTP Fleet API) and take part in three rounds of
 * Flower's own FedAvg, run by an unmodified Python ServerApp ({@code python/flower/fedavg_app}) started with
 * {@code flwr run}. The final global arrays must be the example-weighted mean of what the Java nodes sent in the
 * last round.
 */
class FedAvgInteropTest {
    /** The Flower venv the tests run against: flwr 1.42.0, or another (the flwr-nightly profile). */
    static final String VENV = System.getProperty("fedbiot.flwr.venv", "flwr-1.42");
    static final String REQUIREMENTS = System.getProperty("fedbiot.flwr.requirements",
            "python/flower/requirements-flwr.txt");

    @TempDir
    Path work;

    @Test
    void fedAvgOverHttpWithTwoJavaNodes() throws Exception {
        Path bin = FlowerEnv.venvBin(VENV, REQUIREMENTS);
        runFedAvg(bin, work, false, false, 3);
    }

    /** Runs FedAvg with two Java nodes and checks the result; shared with the gRPC test. */
    static void runFedAvg(Path bin, Path work, boolean grpc, boolean tls, int rounds) throws Exception {
        runFedAvg(bin, work, grpc, tls, rounds, List.of());
    }

    /** As {@link #runFedAvg(Path, Path, boolean, boolean, int)} with more {@code flower-superlink} options. */
    static void runFedAvg(Path bin, Path work, boolean grpc, boolean tls, int rounds, List<String> linkArgs)
            throws Exception {
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, grpc, tls, 0, linkArgs)) {
            List<RecordingClient> clients = List.of(new RecordingClient(0), new RecordingClient(1));
            List<SuperNode> nodes = new ArrayList<>();
            try {
                for (RecordingClient c : clients) {
                    SuperNodeBuilder b = SuperNode.builder().setSuperlink(link.fleetAddress()).optGrpc(grpc);
                    if (tls) {
                        b.optRootCertificates(link.tls().resolve("ca.pem"));
                    } else {
                        b.optInsecure(true);
                    }
                    nodes.add(b.setClientApp(c.toClientApp()).optPollInterval(Duration.ofMillis(200))
                            .optNodeConfig(Map.of("partition-id", c.k)).build().start());
                }
                runAndCheck(link, work, clients, rounds);
                assertThat(nodes).allSatisfy(n -> assertThat(n.errorRepliesSent()).isZero());
            } finally {
                nodes.forEach(SuperNode::close);
            }
        }
    }


    /**
     * Starts FedAvg with {@code flwr run} on a SuperLink whose Java nodes run {@code clients}, waits for the
     * result and checks that the final arrays are the example-weighted mean of what the clients sent last.
     */
    static void runAndCheck(SuperLinkProcess link, Path work, List<RecordingClient> clients, int rounds)
            throws Exception {
        Path result = work.resolve("result.json");
        String conn = link.writeCliConfig();
        String out = link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/fedavg_app")
                .toString(), conn, "--run-config", "result-file=\"" + result + "\" num-server-rounds=" + rounds);
        assertThat(out).contains("Successfully started run");
        awaitFile(result, Duration.ofMinutes(3), link);

        JsonNode json = new ObjectMapper().readTree(result.toFile());
        long n0 = clients.get(0).numExamples();
        long n1 = clients.get(1).numExamples();
        NamedTensors s0 = clients.get(0).sent.get((long) rounds);
        NamedTensors s1 = clients.get(1).sent.get((long) rounds);
        assertThat(s0).as("node 0 trained in the last round").isNotNull();
        assertThat(s1).as("node 1 trained in the last round").isNotNull();
        for (String name : List.of("0", "1", "2")) {
            JsonNode arr = json.get("arrays").get(name);
            Tensor a = s0.get(name);
            Tensor b = s1.get(name);
            assertThat(arr.get("shape").size()).isEqualTo(a.shape().length);
            double tol = "float16".equals(arr.get("dtype").asText()) ? 2e-2 : 1e-5;
            for (int i = 0; i < a.numel(); i++) {
                double expected = (n0 * (double) a.data()[i] + n1 * (double) b.data()[i]) / (n0 + n1);
                assertThat(arr.get("data").get(i).asDouble()).as("%s[%d]", name, i)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(tol * Math.max(1, Math.abs(expected))));
            }
        }
        assertThat(json.get("arrays").get("0").get("dtype").asText()).isEqualTo("float32");
        assertThat(json.get("arrays").get("1").get("dtype").asText()).isEqualTo("float64");
        assertThat(json.get("arrays").get("2").get("dtype").asText()).isEqualTo("float16");
        for (RecordingClient c : clients) {
            assertThat(c.sent.keySet()).hasSize(rounds);
        }
    }

    /**
     * Waits for the ServerApp's result file; fails early, with the run's status details, when {@code flwr ls}
     * reports the run as failed or stopped.
     */
    static void awaitFile(Path file, Duration timeout, SuperLinkProcess link) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        long nextCheck = System.nanoTime() + 5_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the ServerApp did not write " + file + " within " + timeout
                        + "; SuperLink log:\n" + link.logText());
            }
            if (System.nanoTime() > nextCheck) {
                String ls = link.flwr(Duration.ofSeconds(60), "ls", "local", "--format", "json");
                if (ls.contains("finished:failed") || ls.contains("finished:stopped")) {
                    throw new AssertionError("the run ended without a result: " + ls);
                }
                nextCheck = System.nanoTime() + 5_000_000_000L;
            }
            Thread.sleep(250);
        }
    }
}
