/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.model.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedbiot info} and {@code generate} on a tiny model written to disk. */
class EngineCommandsTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = FedbiotCommand.newCommandLine().execute(args);
            assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private Path tinyModel() throws Exception {
        Path dir = tmp.resolve("tiny");
        Path tk = Path.of(getClass().getResource("tokenizer.json").toURI());
        try (DjlBaseModel m = DjlBaseModel.random(ModelSpec.llama(64, 32, 2, 4, 2, 64, 64, true), 1, 0.3, tk)) {
            m.save(dir);
        }
        return dir;
    }

    @Test
    void infoAndGenerateWorkOnAModelDirectory() throws Exception {
        Path dir = tinyModel();
        String info = run("info", "--model", dir.toString());
        assertThat(info).contains("llama").contains("layers:       2, hidden 32, heads 4 (kv 2")
                .contains("tokenizer:    37 tokens, eos 2, pad 3");
        String a = run("generate", "--model", dir.toString(), "--prompt", "the cat", "--max-new-tokens", "5",
                "--temperature", "0.8", "--seed", "3");
        String b = run("generate", "--model", dir.toString(), "--prompt", "the cat", "--max-new-tokens", "5",
                "--temperature", "0.8", "--seed", "3");
        assertThat(a).startsWith("the cat").isEqualTo(b);
    }
}
