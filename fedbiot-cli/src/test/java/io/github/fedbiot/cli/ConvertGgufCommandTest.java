/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.DType;
import io.github.fedbiot.tensor.SafetensorsReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedbiot convert-gguf} on the tiny LLaMA GGUF of fedbiot-core's tests, and on bad input. */
class ConvertGgufCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = FedbiotCommand.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path tinyGguf() throws IOException {
        Path p = tmp.resolve("tiny-llama.gguf");
        try (InputStream in = ConvertGgufCommandTest.class.getResourceAsStream("/gguf/tiny-llama.gguf")) {
            assertThat(in).as("fedbiot-core test resource gguf/tiny-llama.gguf").isNotNull();
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void convertsAGgufFile() throws IOException {
        Path dir = tmp.resolve("hf");
        int code = run("convert-gguf", "--in", tinyGguf().toString(), "--out", dir.toString(), "--dtype", "bf16");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("llama: 2 layers, hidden 32, 4 heads (2 KV), MLP 64, vocab 288")
                .contains("20 tensors").contains("written as BF16");
        assertThat(ModelSpec.read(dir).numLayers()).isEqualTo(2);
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("model.safetensors"))) {
            assertThat(r.dtype("model.embed_tokens.weight")).isEqualTo(DType.BF16);
        }
        assertThat(dir.resolve("tokenizer.json")).exists();
        assertThat(dir.resolve("tokenizer_config.json")).exists();
    }

    @Test
    void reportsAMalformedFile() throws IOException {
        Path bad = tmp.resolve("bad.gguf");
        Files.write(bad, new byte[100]);
        int code = run("convert-gguf", "--in", bad.toString(), "--out", tmp.resolve("o").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("convert-gguf: GGUF file").contains("not a GGUF file");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void rejectsBadArguments() {
        assertThat(run("convert-gguf", "--in", tmp.resolve("missing.gguf").toString(), "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--in: no such file");
        assertThat(run("convert-gguf", "--in", "x")).isEqualTo(2);
        assertThat(run("convert-gguf", "--in", "x", "--out", "y", "--dtype", "I64")).isEqualTo(2);
    }
}
