/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Special token ids of config.json and generation_config.json must lie inside the vocabulary. */
class SpecialTokenIdsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ObjectNode tinyConfig() {
        return ModelSpec.llama(128, 32, 2, 4, 2, 64, 256, false).toConfigJson();
    }

    private void write(String file, Object tree) throws IOException {
        Files.writeString(dir.resolve(file), JSON.writeValueAsString(tree));
    }

    @Test
    void anEosIdOutsideTheVocabularyIsRefusedNamingKeyAndSize() throws IOException {
        write("config.json", tinyConfig().put("eos_token_id", 500));
        assertThatThrownBy(() -> ModelSpec.read(dir)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("config.json: 'eos_token_id' 500 is outside the vocabulary (vocab_size 128)");
    }

    @Test
    void everyIdOfAListAndThePadIdAreChecked() throws IOException {
        ObjectNode c = tinyConfig();
        c.putArray("eos_token_id").add(2).add(128);
        write("config.json", c);
        assertThatThrownBy(() -> ModelSpec.read(dir)).hasMessageContaining("'eos_token_id' 128 is outside");
        write("config.json", tinyConfig().put("pad_token_id", 130));
        assertThatThrownBy(() -> ModelSpec.read(dir)).hasMessageContaining("'pad_token_id' 130 is outside");
        write("config.json", tinyConfig().put("pad_token_id", "x"));
        assertThatThrownBy(() -> ModelSpec.read(dir)).hasMessageContaining("'pad_token_id' must be a token id");
    }

    @Test
    void generationConfigIsCheckedToo() throws IOException {
        write("config.json", tinyConfig());
        write(SpecialTokenIds.GENERATION_CONFIG, JSON.createObjectNode().put("bos_token_id", 1).put("pad_token_id", 999));
        assertThatThrownBy(() -> ModelSpec.read(dir))
                .hasMessageContaining(SpecialTokenIds.GENERATION_CONFIG + ": 'pad_token_id' 999 is outside the vocabulary");
        Files.writeString(dir.resolve(SpecialTokenIds.GENERATION_CONFIG), "{\"eos\":");
        assertThatThrownBy(() -> ModelSpec.read(dir)).hasMessageContaining("is not valid JSON");
        write(SpecialTokenIds.GENERATION_CONFIG, JSON.createObjectNode().put("eos_token_id", 2));
        assertThat(ModelSpec.read(dir).eosTokenId()).isEqualTo(2);
    }

    @Test
    void aSpecBuiltInCodeIsCheckedToo() {
        assertThatThrownBy(() -> new ModelSpec(Architecture.LLAMA, "llama", 64, 32, 2, 4, 2, 8, 64, 64, 1e-5,
                10000.0, null, false, false, "silu", 64, 2)).hasMessageContaining("'bos_token_id' 64 is outside");
    }
}
