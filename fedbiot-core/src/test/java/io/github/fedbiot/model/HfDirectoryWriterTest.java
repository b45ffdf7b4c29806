/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsCheckpoint;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfDirectoryWriterTest {
    private static final ModelSpec SPEC = ModelSpec.llama(16, 8, 2, 2, 1, 16, 32, true);
    private static final NamedTensors WEIGHTS = NamedTensors.builder()
            .add("model.norm.weight", new Tensor(new int[] {2}, new float[] {0.5f, -2f}))
            .add("model.embed_tokens.weight", new Tensor(new int[] {1, 3}, new float[] {1, 2, 3})).build();

    @TempDir
    Path tmp;

    @Test
    void writesConfigWeightsAndTheTokenizerFilesThatExist() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        Files.writeString(source.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        Files.writeString(source.resolve("generation_config.json"), "{}");
        Files.writeString(source.resolve("notes.txt"), "not copied");
        Path out = tmp.resolve("out/model");

        HfDirectoryWriter.write(out, SPEC, WEIGHTS, source);

        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("llama");
        assertThat(config.get("num_hidden_layers").asInt()).isEqualTo(2);
        assertThat(ModelSpec.read(out)).isEqualTo(SPEC);
        try (SafetensorsCheckpoint back = SafetensorsCheckpoint.open(out)) {
            assertThat(back.readAll()).isEqualTo(WEIGHTS);
        }
        assertThat(out.resolve("tokenizer.json")).hasContent("{\"version\": \"1.0\"}");
        assertThat(out.resolve("generation_config.json")).exists();
        assertThat(out.resolve("tokenizer_config.json")).doesNotExist();
        assertThat(out.resolve("notes.txt")).doesNotExist();
    }

    @Test
    void writesNoTokenizerWithoutASourceAndOverwritesInPlace() throws IOException {
        Path out = tmp.resolve("plain");
        HfDirectoryWriter.write(out, SPEC, WEIGHTS, null);
        assertThat(out.resolve("tokenizer.json")).doesNotExist();

        Files.writeString(out.resolve("tokenizer.json"), "{}");
        HfDirectoryWriter.write(out, SPEC, WEIGHTS, out);
        assertThat(out.resolve("tokenizer.json")).hasContent("{}");
        assertThat(out.resolve("model.safetensors")).exists();
    }

    @Test
    void failsWithTheDirectoryInTheMessage() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThatThrownBy(() -> HfDirectoryWriter.write(file.resolve("sub"), SPEC, WEIGHTS, null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("a-file");
    }
}
