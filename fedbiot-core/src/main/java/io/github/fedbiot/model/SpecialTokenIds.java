/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that the special token ids a model directory declares lie inside its vocabulary. An id outside it
 * fails only later and far from its cause: as an out-of-range embedding row when EOS ends a training example, or
 * as generation that never stops; so it is refused when the model is read.
 *
 * <p>Checked: {@code bos_token_id}, {@code eos_token_id} (every element of a list, as Llama 3 writes it) and
 * {@code pad_token_id} of config.json and of generation_config.json, which transformers' {@code generate} reads.
 */
final class SpecialTokenIds {
    /** The generation settings file beside config.json. */
    static final String GENERATION_CONFIG = "generation_config.json";
    private static final List<String> KEYS = List.of("bos_token_id", "eos_token_id", "pad_token_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecialTokenIds() {}

    /**
     * Refuses a token id outside {@code [0, vocab)}; -1 means "none".
     *
     * @param key the config.json key, for the message
     * @param id the id, or -1
     * @param vocab the vocabulary size
     */
    static void requireInVocabulary(String key, int id, int vocab) {
        if (id >= vocab || id < -1) {
            throw new FedbiotException("config.json: '" + key + "' " + id + " is outside the vocabulary (vocab_size "
                    + vocab + ")");
        }
    }

    /**
     * Checks config.json's tree and the directory's generation_config.json, when there is one.
     *
     * @param config the config.json tree
     * @param modelDir the model directory
     * @param vocab the vocabulary size
     * @throws FedbiotException naming the file, key and id of the first id outside the vocabulary
     */
    static void check(JsonNode config, Path modelDir, int vocab) {
        checkTree(config, "config.json", vocab);
        Path gen = modelDir.resolve(GENERATION_CONFIG);
        if (Files.isRegularFile(gen)) {
            JsonNode tree;
            try {
                tree = JSON.readTree(Files.readString(gen));
            } catch (JsonProcessingException e) {
                throw new FedbiotException(gen + " is not valid JSON: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new FedbiotException("cannot read " + gen + ": " + e.getMessage(), e);
            }
            if (tree != null && tree.isObject()) {
                checkTree(tree, gen.toString(), vocab);
            }
        }
    }

    private static void checkTree(JsonNode tree, String file, int vocab) {
        for (String key : KEYS) {
            JsonNode n = tree.get(key);
            if (n == null || n.isNull()) {
                continue;
            }
            for (JsonNode id : n.isArray() ? n : List.of(n)) {
                if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
                    throw new FedbiotException(file + ": '" + key + "' must be a token id >= 0 or a list of them "
                            + "(found " + n + ")");
                }
                if (id.asInt() >= vocab) {
                    throw new FedbiotException(file + ": '" + key + "' " + id + " is outside the vocabulary (vocab_size "
                            + vocab + ")");
                }
            }
        }
    }
}
