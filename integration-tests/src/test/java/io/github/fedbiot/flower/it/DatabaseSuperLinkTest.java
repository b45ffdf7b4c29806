/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.supernode.SuperNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SuperLink started as production starts it, with its state in SQLite ({@code --database FILE}): its object
 * store hands out a message's object tree with the children in the order of its child table, not of the object
 * heads, and its state (nodes, runs) outlives a restart. Java nodes must take part alone and beside a Python
 * {@code flower-supernode}, and keep their node ids when the SuperLink restarts on the same database.
 */
class DatabaseSuperLinkTest {
    @TempDir
    Path work;

    private static List<String> database(Path file) {
        return List.of("--database", file.toString());
    }

    @Test
    void javaNodesTrainOnASqliteSuperLink() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        FedAvgInteropTest.runFedAvg(bin, work, false, false, 3, database(work.resolve("state.sqlite")));
    }

    @Test
    void javaAndPythonNodesTrainTogetherOnASqliteSuperLink() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        MixedFederationTest.runMixed(bin, work, 3, database(work.resolve("state.sqlite")));
    }

    @Test
    void javaNodesKeepTheirIdsWhenTheSuperLinkRestartsMidRunOnTheSameDatabase() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        List<String> db = database(work.resolve("state.sqlite"));
        List<RecordingClient> clients = List.of(new RecordingClient(0), new RecordingClient(1));
        List<SuperNode> nodes = new ArrayList<>();
        List<Long> firstIds = new ArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8));
        try {
            int port;
            try (SuperLinkProcess first = SuperLinkProcess.start(bin, work.resolve("first"), false, false, 0, db)) {
                port = first.controlPort();
                for (RecordingClient c : clients) {
                    nodes.add(SuperNode.builder().setSuperlink(first.fleetAddress()).optInsecure(true)
                            .optBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                            .optPollInterval(Duration.ofMillis(200)).setClientApp(c.toClientApp()).build().start());
                }
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!nodes.stream().allMatch(SuperNode::isConnected)) {
                    assertThat(System.nanoTime()).as("nodes connected").isLessThan(end);
                    Thread.sleep(100);
                }
                nodes.forEach(n -> firstIds.add(n.nodeId()));
                first.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/fedavg_app")
                        .toString(), first.writeCliConfig(), "--run-config", "result-file=\""
                        + work.resolve("first-result.json") + "\" num-server-rounds=20");
                end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (clients.stream().anyMatch(c -> c.sent.isEmpty())) {
                    assertThat(System.nanoTime()).as("the first run got under way").isLessThan(end);
                    Thread.sleep(100);
                }
                first.kill();
            }
            Thread.sleep(3000); // the nodes now see connection errors and back off
            clients.forEach(c -> {
                c.sent.clear();
                c.received.clear();
            });
            Path second = work.resolve("second");
            try (SuperLinkProcess link = SuperLinkProcess.start(bin, second, false, false, port, db)) {
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!log.toString(StandardCharsets.UTF_8).contains("reconnected to the SuperLink")
                        || !nodes.stream().allMatch(SuperNode::isConnected)) {
                    assertThat(System.nanoTime()).as("nodes reconnected").isLessThan(end);
                    Thread.sleep(200);
                }
                assertThat(nodes.stream().map(SuperNode::nodeId).toList()).as("node ids kept").isEqualTo(firstIds);
                FedAvgInteropTest.runAndCheck(link, second, clients, 2);
                assertThat(nodes.stream().map(SuperNode::nodeId).toList()).as("node ids kept").isEqualTo(firstIds);
            }
            for (long id : firstIds) {
                assertThat(log.toString(StandardCharsets.UTF_8)).contains("[node " + Long.toUnsignedString(id)
                        + "] reconnected to the SuperLink");
            }
        } finally {
            System.setErr(stderr);
            nodes.forEach(SuperNode::close);
        }
    }

    /** Writes to two streams: the test's log goes on to the console and into the buffer the test reads. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
