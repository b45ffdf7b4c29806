/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.cli.FedbiotCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedbiot bench engine} on the 10m preset with a few tiny steps. */
class EngineBenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void benchEngineWritesAResultFile() throws Exception {
        Path out = tmp.resolve("bench.json");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = FedbiotCommand.newCommandLine().execute("bench", "engine", "--batch", "1", "--seq", "8",
                    "--steps", "2", "--warmup", "0", "--out", out.toString());
            assertThat(code).as("exit code of bench engine").isZero();
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("train step: median").contains("forward   : median");
        JsonNode json = new ObjectMapper().readTree(Files.readString(out));
        assertThat(json.get("preset").asText()).isEqualTo("10m");
        assertThat(json.get("spec").get("vocab_size").asInt()).isEqualTo(13312);
        assertThat(json.get("train_step").get("median_tokens_per_s").asDouble()).isPositive();
        assertThat(json.get("forward").get("step_s")).hasSize(2);
        assertThat(json.get("peak_rss_mib").asDouble()).isPositive();
    }
}
