/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between Java nodes and a flwr 1.42.0 SuperLink that keeps its state in SQLite ({@code --database}), on a
 * schedule seeded by {@code -Dfaults.seed} (default 17): a link that delays, resets and drops during FedAvg, and
 * the SuperLink killed mid-run and restarted on the same database. No computed reply may be lost while it is
 * still deliverable, and a node never stops on a transient refusal. The figures go to
 * {@code target/faults/flower-faults.json}.
 */
class FlowerFaultsTest {
    private static final long SEED = Long.getLong("faults.seed", 17L);
    private static final Map<String, Object> FIGURES = new LinkedHashMap<>();

    @TempDir
    Path work;

    @Test
    void chaoticLinkDelaysAndResetsButEveryReplyArrives() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        int rounds = 3;
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false, 0, database(work));
                TcpProxy proxy = new TcpProxy(link.fleetPort(), SEED);
                FaultSchedule faults = new FaultSchedule(proxy, SEED)) {
            AtomicBoolean started = new AtomicBoolean();
            AtomicReference<SuperNode> self = new AtomicReference<>();
            RecordingClient chaotic = new RecordingClient(0) {
                @Override
                public FitResult fit(NamedTensors parameters, ConfigRecord config) {
                    long round = config.getLong("server-round");
                    // faults from now until this round's reply is delivered: they hit the compute and the push
                    faults.armUntil(() -> self.get().repliesSent() >= round);
                    if (started.compareAndSet(false, true)) {
                        faults.start();
                    }
                    try {
                        Thread.sleep(2000); // the node computes while the link misbehaves
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.fit(parameters, config);
                }
            };
            RecordingClient other = new RecordingClient(1);
            SuperNode proxied = node("http://127.0.0.1:" + proxy.port(), chaotic);
            self.set(proxied);
            try (RunningNode viaProxy = new RunningNode(proxied);
                    RunningNode direct = new RunningNode(node(link.fleetAddress(), other))) {
                FedAvgInteropTest.runAndCheck(link, work, List.of(chaotic, other), rounds);
                faults.stop();
                awaitNoPendingReplies(viaProxy.node, Duration.ofSeconds(30));
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("seed", SEED);
                f.put("rounds", rounds);
                f.put("faults", faults.injected());
                f.put("schedule", faults.log());
                f.put("socketsReset", proxy.resets());
                f.put("delayedChunks", proxy.delayedChunks());
                f.put("connectionsRefusedWhileDown", proxy.refusedWhileDown());
                f.put("repliesSent", viaProxy.node.repliesSent());
                f.put("pendingReplies", viaProxy.node.pendingReplies());
                record("chaoticLink", f);

                assertThat(viaProxy.node.repliesSent()).as("every computed reply arrived").isEqualTo(rounds);
                assertThat(viaProxy.node.pendingReplies()).isZero();
                assertThat(viaProxy.node.errorRepliesSent()).isZero();
                viaProxy.assertStillRunning();
                direct.assertStillRunning();
                assertThat(proxy.resets()).as("connections were reset").isPositive();
                assertThat(proxy.delayedChunks()).as("chunks were delayed").isPositive();
                assertThat(faults.injected()).containsKeys(FaultSchedule.Kind.values());
            }
        }
    }

    @Test
    void superLinkWithDatabaseRestartedMidRun() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        List<String> db = database(work);
        CountDownLatch roundTwo = new CountDownLatch(1);
        RecordingClient a = new RecordingClient(0) {
            @Override
            public FitResult fit(NamedTensors parameters, ConfigRecord config) {
                if (config.getLong("server-round") == 2) {
                    roundTwo.countDown();
                }
                return super.fit(parameters, config);
            }
        };
        RecordingClient b = new RecordingClient(1);
        List<RecordingClient> clients = List.of(a, b);
        List<RunningNode> nodes = new ArrayList<>();
        Map<String, Object> f = new LinkedHashMap<>();
        try {
            int port;
            List<Long> ids = new ArrayList<>();
            Path first = work.resolve("first");
            try (SuperLinkProcess link = SuperLinkProcess.start(bin, first, false, false, 0, db)) {
                port = link.controlPort();
                for (RecordingClient c : clients) {
                    nodes.add(new RunningNode(node(link.fleetAddress(), c)));
                }
                awaitConnected(nodes, Duration.ofSeconds(30));
                nodes.forEach(n -> ids.add(n.node.nodeId()));
                link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/fedavg_app")
                        .toString(), link.writeCliConfig(), "--run-config", "result-file=\""
                        + first.resolve("result.json") + "\" num-server-rounds=3");
                assertThat(roundTwo.await(2, TimeUnit.MINUTES)).as("the run reached round 2").isTrue();
                link.kill(); // SIGKILL on the SuperLink and the ServerApp it spawned, as a crash of its host
            }
            Thread.sleep(2000); // the nodes see connection errors and back off
            Path second = work.resolve("second");
            try (SuperLinkProcess link = SuperLinkProcess.start(bin, second, false, false, port, db)) {
                link.writeCliConfig();
                awaitConnected(nodes, Duration.ofSeconds(60));
                // flwr 1.42 does not resume a run whose ServerApp died: watch what it makes of it.
                Thread.sleep(15_000);
                String ls = link.flwr(Duration.ofSeconds(60), "ls", "local", "--format", "json");
                f.put("firstRunAfterRestart", parseOrText(ls));
                f.put("firstRunResultWritten", Files.exists(first.resolve("result.json")));
                awaitNoPendingReplies(nodes.get(0).node, Duration.ofSeconds(30));
                awaitNoPendingReplies(nodes.get(1).node, Duration.ofSeconds(30));
                List<Long> computed = clients.stream().map(c -> (long) c.sent.size()).toList();
                List<Long> delivered = nodes.stream().map(n -> n.node.repliesSent()).toList();
                f.put("repliesComputedInFirstRun", computed);
                f.put("repliesDeliveredInFirstRun", delivered);
                // The replies computed before the crash were still deliverable: the restarted SuperLink keeps
                // the run (as "running") in its database and accepts them.
                assertThat(delivered).as("every reply computed across the crash delivered").isEqualTo(computed);
                f.put("firstRunStatus", firstRunStatus(ls));
                clients.forEach(c -> {
                    c.sent.clear();
                    c.received.clear();
                });
                FedAvgInteropTest.runAndCheck(link, second, clients, 2);
                // flwr 1.42 never resumes nor ends a run whose ServerApp died with the SuperLink: it stays
                // "running", and only a new run trains.
                assertThat(f.get("firstRunStatus")).as("the first run's status after the restart").isEqualTo("running");
                assertThat(f.get("firstRunResultWritten")).isEqualTo(false);
                f.put("nodeIdsKept", nodes.stream().map(n -> n.node.nodeId()).toList().equals(ids));
                record("superLinkRestart", f);
                assertThat(nodes.stream().map(n -> n.node.nodeId()).toList()).as("node ids kept").isEqualTo(ids);
                nodes.forEach(RunningNode::assertStillRunning);
                assertThat(nodes).allSatisfy(n -> assertThat(n.node.pendingReplies()).isZero());
            }
        } finally {
            nodes.forEach(RunningNode::close);
        }
    }

    @AfterAll
    static void writeFigures() throws Exception {
        Path dir = Path.of("target", "faults");
        Files.createDirectories(dir);
        synchronized (FIGURES) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve("flower-faults.json").toFile(), FIGURES);
        }
    }

    private static void record(String name, Map<String, Object> figures) {
        synchronized (FIGURES) {
            FIGURES.put(name, figures);
        }
    }

    private static String firstRunStatus(String ls) throws Exception {
        return new ObjectMapper().readTree(ls).get("runs").get(0).get("status").asText();
    }

    private static Object parseOrText(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            return text;
        }
    }

    private static List<String> database(Path work) {
        return List.of("--database", work.resolve("state.sqlite").toString());
    }

    private static SuperNode node(String address, RecordingClient client) {
        return SuperNode.builder().setSuperlink(address).optInsecure(true)
                .optBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)).optPollInterval(Duration.ofMillis(200))
                .optNodeConfig(Map.of("partition-id", client.k)).setClientApp(client.toClientApp()).build();
    }

    private static void awaitNoPendingReplies(SuperNode node, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (node.pendingReplies() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    private static void awaitConnected(List<RunningNode> nodes, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!nodes.stream().allMatch(n -> n.node.isConnected())) {
            assertThat(System.nanoTime()).as("nodes connected").isLessThan(end);
            Thread.sleep(100);
        }
    }

    /**
     * A node run on a thread of the test's own, so that the test sees whether {@link SuperNode#run()} ever
     * returned or threw.
     */
    private static final class RunningNode implements AutoCloseable {
        final SuperNode node;
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        RunningNode(SuperNode node) {
            this.node = node;
            this.thread = new Thread(() -> {
                try {
                    node.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "faulty-supernode");
            thread.setDaemon(true);
            thread.start();
        }

        void assertStillRunning() {
            assertThat(failure.get()).as("the node's run() threw").isNull();
            assertThat(thread.isAlive()).as("the node is still running").isTrue();
        }

        @Override
        public void close() {
            node.close();
        }
    }
}
