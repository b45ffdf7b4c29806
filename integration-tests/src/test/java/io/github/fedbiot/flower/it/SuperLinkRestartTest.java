/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.supernode.SuperNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SuperLink crashes (SIGKILL) and comes back on the same port with fresh state: the Java nodes back off while
 * it is down, find that it no longer knows them, register again and then train in a FedAvg run.
 */
class SuperLinkRestartTest {
    @TempDir
    Path work;

    @Test
    void nodesReconnectAfterTheSuperLinkRestarts() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        List<RecordingClient> clients = List.of(new RecordingClient(0), new RecordingClient(1));
        List<SuperNode> nodes = new ArrayList<>();
        int port;
        List<Long> firstIds = new ArrayList<>();
        try {
            try (SuperLinkProcess first = SuperLinkProcess.start(bin, work.resolve("first"), false, false)) {
                port = first.controlPort();
                for (RecordingClient c : clients) {
                    nodes.add(SuperNode.builder().setSuperlink(first.fleetAddress()).optInsecure(true)
                            .optBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                            .optPollInterval(Duration.ofMillis(200)).setClientApp(c.toClientApp()).build().start());
                }
                awaitConnected(nodes, Duration.ofSeconds(30));
                nodes.forEach(n -> firstIds.add(n.nodeId()));
                first.kill();
            }
            Thread.sleep(3000); // the nodes now see connection errors and back off
            try (SuperLinkProcess second = SuperLinkProcess.start(bin, work.resolve("second"), false, false, port)) {
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (nodes.stream().anyMatch(n -> firstIds.contains(n.nodeId()) || !n.isConnected())) {
                    assertThat(System.nanoTime()).as("nodes re-registered with the restarted SuperLink").isLessThan(end);
                    Thread.sleep(200);
                }
                FedAvgInteropTest.runAndCheck(second, work.resolve("second"), clients, 2);
            }
        } finally {
            nodes.forEach(SuperNode::close);
        }
    }

    private static void awaitConnected(List<SuperNode> nodes, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!nodes.stream().allMatch(SuperNode::isConnected)) {
            assertThat(System.nanoTime()).as("nodes connected").isLessThan(end);
            Thread.sleep(100);
        }
    }
}
