/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.engine.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer through DJL's binding of the Rust {@code tokenizers}
 * library. Text is encoded without special tokens and without truncation. The EOS id comes from
 * config.json when it names one, else from the tokenizer's special tokens ({@code </s>},
 * {@code <|endoftext|>}, ...); the pad id is the tokenizer's pad token, or EOS when it has none.
 */
public final class DjlTokenizer implements TextTokenizer, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EOS_TOKENS = List.of("</s>", "<|endoftext|>", "<|end_of_text|>", "<eos>",
            "<|im_end|>", "[SEP]");
    private static final List<String> PAD_TOKENS = List.of("<pad>", "[PAD]", "<|pad|>", "<|padding|>");

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final int eosId;
    private final int padId;

    private DjlTokenizer(Path file, HuggingFaceTokenizer tokenizer, int vocabSize, int eosId, int padId) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.eosId = eosId;
        this.padId = padId;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @param file the tokenizer.json file
     * @param configEosId the EOS id of config.json, or -1 to take it from the tokenizer
     * @return the tokenizer
     * @throws FedbiotException if the file is missing or malformed
     */
    public static DjlTokenizer load(Path file, int configEosId) {
        if (!Files.isRegularFile(file)) {
            throw new FedbiotException("missing tokenizer file " + file);
        }
        Map<String, Integer> vocab = new HashMap<>();
        Map<String, Integer> special = new HashMap<>();
        try {
            JsonNode root = JSON.readTree(Files.readString(file));
            JsonNode model = root.path("model");
            JsonNode v = model.get("vocab");
            if (v != null && v.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    vocab.put(e.getKey(), e.getValue().asInt());
                }
            } else if (v != null && v.isArray()) { // Unigram: [[piece, score], ...]
                for (int i = 0; i < v.size(); i++) {
                    vocab.put(v.get(i).get(0).asText(), i);
                }
            } else {
                throw new FedbiotException(file + ": 'model.vocab' is missing");
            }
            for (JsonNode t : root.path("added_tokens")) {
                vocab.put(t.path("content").asText(), t.path("id").asInt());
                if (t.path("special").asBoolean(false)) {
                    special.put(t.path("content").asText(), t.path("id").asInt());
                }
            }
        } catch (IOException e) {
            throw new FedbiotException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int eos = configEosId;
        if (eos < 0) {
            eos = EOS_TOKENS.stream().filter(special::containsKey).map(special::get).findFirst()
                    .orElse(EOS_TOKENS.stream().filter(vocab::containsKey).map(vocab::get).findFirst().orElse(-1));
        }
        int pad = PAD_TOKENS.stream().filter(vocab::containsKey).map(vocab::get).findFirst().orElse(eos);
        HuggingFaceTokenizer tk;
        try {
            tk = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false", "truncation", "false",
                    "padding", "false", "maxLength", "1000000"));
        } catch (IOException | RuntimeException e) {
            throw new FedbiotException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
        return new DjlTokenizer(file, tk, size, eos, pad);
    }

    /**
     * Returns the tokenizer.json this tokenizer was loaded from.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /** {@inheritDoc} */
    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    /**
     * Returns the EOS id, or -1 when neither config.json nor the tokenizer names one.
     *
     * @return the id
     */
    @Override
    public int eosId() {
        return eosId;
    }

    /** {@inheritDoc} */
    @Override
    public int padId() {
        return padId;
    }

    /**
     * Returns one more than the largest id of the vocabulary and added tokens.
     *
     * @return the size
     */
    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /** Releases the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "DjlTokenizer[" + file + ", vocab=" + vocabSize + ", eos=" + eosId + ", pad=" + padId + "]";
    }
}
