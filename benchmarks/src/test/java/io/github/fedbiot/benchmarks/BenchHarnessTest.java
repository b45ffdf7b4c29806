/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.cli.FedbiotCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that the bench harness works end to end with tiny sizes (seconds): it runs the subcommands through the
 * real command line and reads back the JSON and PNG they write. It measures nothing; real runs are the commands
 * in docs/benchmarks.md.
 */
class BenchHarnessTest {
    @TempDir
    Path dir;

    @Test
    void matmulWritesJsonAndPlot() throws Exception {
        int rc = FedbiotCommand.newCommandLine().execute("bench", "matmul", "--sizes", "32,64", "--repeats", "3",
                "--warmup", "1", "--out", dir.toString());
        assertEquals(0, rc);
        JsonNode root = BenchResults.JSON.readTree(dir.resolve("matmul.json").toFile());
        assertEquals("matmul", root.get("benchmark").asText());
        assertEquals(2, root.get("sizes").size());
        assertEquals(3, root.get("sizes").get(0).get("gflops").get("n").asInt());
        assertTrue(root.get("peak_gflops").asDouble() > 0);
        assertTrue(root.get("environment").get("cores").asInt() > 0);
        assertTrue(Files.size(dir.resolve("matmul.png")) > 1000);
    }

    @Test
    void djlSideOfThePytorchComparisonWritesItsSchema() throws Exception {
        Path result = dir.resolve("djl.json");
        int rc = FedbiotCommand.newCommandLine().execute("bench", "pytorch-djl-worker", "--size", "tiny", "--batch",
                "2", "--seq", "16", "--warmup", "0", "--groups", "2", "--group-steps", "1", "--gen-new", "3",
                "--gen-repeats", "1", "--result", result.toString());
        assertEquals(0, rc);
        JsonNode root = BenchResults.JSON.readTree(result.toFile());
        assertEquals("fedbiot-djl", root.get("engine").asText());
        assertEquals(2, root.get("train").get("samples_s").size());
        assertTrue(root.get("train").get("tokens_per_s").get("median").asDouble() > 0);
        assertEquals(2, root.get("forward").get("samples_s").size());
        assertEquals(1, root.get("generate").get("samples_s").size());
        assertTrue(root.get("peak_rss_bytes").asLong() > 0);
    }

    @Test
    void clientCostRunsEachConfigurationInItsOwnJvm() throws Exception {
        int rc = FedbiotCommand.newCommandLine().execute("bench", "client-cost", "--model", "tiny", "--configs",
                "fedbiot:2:0.5,fedavg:0:0", "--kl", "0", "--batch", "2", "--seq", "16", "--steps", "1", "--rounds", "1",
                "--align-steps", "1", "--heap", "512m", "--out", dir.toString());
        assertEquals(0, rc);
        JsonNode root = BenchResults.JSON.readTree(dir.resolve("client-cost.json").toFile());
        JsonNode fedbiot = root.get("clients").get(0);
        JsonNode fedavg = root.get("clients").get(1);
        assertEquals("fedbiot", fedbiot.get("method").asText());
        // K=2 of a 4-layer model: 2 trainable layers of LoRA (q, v) against 4 for full-model FedAvg
        assertEquals(2 * fedbiot.get("trainable_parameters").asLong(), fedavg.get("trainable_parameters").asLong());
        assertTrue(fedbiot.get("bytes_down_per_round").asLong() > fedbiot.get("bytes_up_per_round").asLong());
        assertTrue(fedbiot.get("peak_rss_bytes").asLong() > 0);
        assertEquals(1.0, fedavg.get("peak_rss_vs_fedavg").asDouble(), 1e-12);
        assertEquals(1, root.get("server").size());
        assertTrue(Files.size(dir.resolve("client-cost-memory.png")) > 1000);
    }

    @Test
    void scale7bAndWeightFormatsRunAtATinyShape() throws Exception {
        int rc = FedbiotCommand.newCommandLine().execute("bench", "scale-7b", "--preset", "tiny", "--formats", "q4_0",
                "--seq", "16", "--heap", "512m", "--out", dir.toString());
        assertEquals(0, rc);
        JsonNode runs = BenchResults.JSON.readTree(dir.resolve("scale-7b.json").toFile()).get("runs");
        assertEquals(3, runs.size());
        for (JsonNode r : runs) {
            assertTrue(r.get("peak_rss_gib").asDouble() > 0);
            assertEquals("q4_0", r.get("worker").get("weight_format").asText());
        }
        assertTrue(runs.get(0).get("meets_target").asBoolean());
        rc = FedbiotCommand.newCommandLine().execute("bench", "weight-formats", "--model", "tiny", "--formats",
                "f32,q8_0", "--batch", "2", "--seq", "16", "--steps", "1", "--rounds", "1", "--heap", "512m", "--out",
                dir.toString());
        assertEquals(0, rc);
        JsonNode formats = BenchResults.JSON.readTree(dir.resolve("weight-formats.json").toFile()).get("formats");
        assertEquals(1.0, formats.get(0).get("weight_bytes_vs_f32").asDouble(), 1e-12);
        assertTrue(formats.get(1).get("weight_bytes_vs_f32").asDouble() < 0.35);
    }

    @Test
    void flowerOverheadTimesBothSuperNodesAtTheWire() throws Exception {
        // A real flwr 1.42.0 SuperLink, Flower's Python SuperNode and the Java one in a child JVM; 1 MiB, 1 round.
        int rc = FedbiotCommand.newCommandLine().execute("bench", "flower-overhead", "--sizes", "1", "--rounds", "1",
                "--warmup", "0", "--out", dir.toString());
        assertEquals(0, rc);
        JsonNode root = BenchResults.JSON.readTree(dir.resolve("flower-overhead.json").toFile());
        assertEquals("flower-overhead", root.get("benchmark").asText());
        assertTrue(root.get("environment").get("cores").asInt() > 0);
        assertTrue(root.get("all_echoes_matched").asBoolean());
        assertEquals(2, root.get("messages").size());
        JsonNode r = root.get("results").get(0);
        assertEquals(1.0, r.get("size_mib").asDouble());
        for (String kind : new String[] {"java", "python"}) {
            double overhead = r.get(kind).get("overhead_seconds").get("median").asDouble();
            assertTrue(overhead > 0 && Double.isFinite(overhead), kind + " overhead " + overhead);
            assertTrue(r.get(kind).get("outside_rpc_seconds").get("median").asDouble() <= overhead);
            // the echo really travelled back: at least the 1 MiB array was pushed
            assertTrue(r.get(kind).get("min_bytes_pushed").asDouble() >= 1 << 20);
        }
        double ratio = r.get("ratio_java_over_python").asDouble();
        assertTrue(ratio > 0 && Double.isFinite(ratio));
        JsonNode heap = root.get("java_node_heap");
        assertTrue(heap.get("peak_heap_bytes").asLong() > 0);
        assertTrue(heap.get("passed_under_cap").asBoolean());
        assertTrue(root.get("targets").has("ratio_met"));
        assertTrue(Files.size(dir.resolve("flower-overhead.png")) > 1000);
    }
}
