/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli.bench;

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
}
