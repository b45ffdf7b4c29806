/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process is killed (SIGKILL) and started again at once with the same key file: a flwr 1.42.0 SuperLink
 * refuses to activate the key while it still counts the killed node as online (HTTP 412, code 2004). The new
 * process must say so and wait: with a short limit it gives up with that reason and exits at once (no 30 s wait in
 * the shutdown hook); with the default it activates under the same node id once the SuperLink has marked the old
 * one offline.
 */
class NodeReactivationTest {
    @TempDir
    Path work;

    @Test
    void aKilledNodeRestartedWithItsKeyWaitsUntilTheSuperLinkLetsItBackIn() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        Path key = work.resolve("node.key");
        List<Process> processes = new ArrayList<>();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false)) {
            Path log1 = work.resolve("node-1.log");
            Process first = startNode(processes, link, key, 300, log1);
            String id = NodeCrashTest.nodeId(log1, 60);
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

            Path log2 = work.resolve("node-2.log");
            long start = System.nanoTime();
            Process impatient = startNode(processes, link, key, 1, log2);
            assertThat(impatient.waitFor(30, TimeUnit.SECONDS)).as("gave up").isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            String text2 = read(log2);
            assertThat(impatient.exitValue()).as(text2).isEqualTo(2);
            assertThat(seconds).as("exit is not held by the shutdown hook:\n" + text2).isLessThan(15);
            assertThat(text2).contains("still counts this node's key as online")
                    .contains("still counted this node's key as online after").doesNotContain("clock");

            Path log3 = work.resolve("node-3.log");
            startNode(processes, link, key, 300, log3);
            assertThat(NodeCrashTest.nodeId(log3, 90)).as("activated again under the same id").isEqualTo(id);
            assertThat(read(log3)).contains("retrying activation in");
        } finally {
            for (Process p : processes) {
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static Process startNode(List<Process> processes, SuperLinkProcess link, Path key, int waitSeconds,
            Path log) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", cp, NodeMain.class.getName(), link.fleetAddress(), key.toString(), "0", "0",
                String.valueOf(waitSeconds)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static String read(Path log) throws Exception {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
