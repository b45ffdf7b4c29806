/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.engine.ChatTemplate;
import io.github.fedbiot.engine.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face {@code tokenizer.json} tokenizer through DJL's binding of the Rust {@code tokenizers}
 * library. Text is encoded without special tokens and without truncation. The EOS id comes from
 * config.json when it names one, else from the tokenizer's special tokens ({@code </s>},
 * {@code <|endoftext|>}, ...); the pad id is the tokenizer's pad token, or EOS when it has none.
 *
 * <p>The special tokens the {@code tokenizer.json} post-processor puts before a sequence (BOS of a LLaMA
 * {@code TemplateProcessing "<s> $A"}) are {@link #leadingSpecialTokens()}: transformers 5 follows the
 * post-processor too when a {@code tokenizer.json} is present (it ignores {@code add_bos_token} of
 * {@code tokenizer_config.json} then), so the ids match its {@code tokenizer(text)}. Special tokens a template
 * puts after the sequence are not added: the instruction encoder ends each example with EOS itself.
 *
 * <p>The chat template of the same directory ({@code data.prompt_template: chat}) is read with the tokenizer
 * and rendered by {@link JinjaChatTemplate}.
 */
public final class DjlTokenizer implements TextTokenizer, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(DjlTokenizer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EOS_TOKENS = List.of("</s>", "<|endoftext|>", "<|end_of_text|>", "<eos>",
            "<|im_end|>", "[SEP]");
    private static final String PROBE = "Answer: 42";
    private static final List<String> PAD_TOKENS = List.of("<pad>", "[PAD]", "<|pad|>", "<|padding|>");

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final int eosId;
    private final int padId;
    private final int[] leading;
    private final ChatTemplate chat;

    private DjlTokenizer(Path file, HuggingFaceTokenizer tokenizer, int vocabSize, int eosId, int padId) {
        this.file = file;
        this.chat = chatTemplateBeside(file);
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.eosId = eosId;
        this.padId = padId;
        this.leading = leadingOf(tokenizer, file);
    }

    /**
     * Reads the chat template next to the tokenizer; a damaged tokenizer_config.json only costs the chat
     * template (the tokenizer itself never needed that file), so it is a warning, not a failure.
     */
    private static ChatTemplate chatTemplateBeside(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            return dir == null ? null : JinjaChatTemplate.find(dir).orElse(null);
        } catch (FedbiotException e) {
            logger.warn("no chat template for {}: {}", file, e.getMessage());
            return null;
        }
    }

    /** Finds what the post-processor puts before a sequence by encoding a probe with and without it. */
    private static int[] leadingOf(HuggingFaceTokenizer tokenizer, Path file) {
        long[] plain = tokenizer.encode(PROBE, false, false).getIds();
        long[] full = tokenizer.encode(PROBE, true, false).getIds();
        for (int start = 0; start + plain.length <= full.length; start++) {
            if (Arrays.equals(full, start, start + plain.length, plain, 0, plain.length)) {
                int[] out = new int[start];
                for (int i = 0; i < start; i++) {
                    out[i] = Math.toIntExact(full[i]);
                }
                return out;
            }
        }
        throw new FedbiotException(file + ": the post-processor changes the text's own tokens ("
                + Arrays.toString(plain) + " -> " + Arrays.toString(full)
                + "); only special tokens around the text are supported");
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
        } catch (JsonProcessingException e) {
            // the original message, without Jackson's source location on a second line
            throw new FedbiotException("cannot read tokenizer " + file + ": " + e.getOriginalMessage(), e);
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

    /**
     * Encodes text as transformers' {@code tokenizer(text)} does: with the special tokens of the tokenizer's
     * post-processor (before and after the text).
     *
     * @param text the text
     * @return the token ids
     */
    public int[] encodeWithSpecialTokens(String text) {
        long[] ids = tokenizer.encode(text, true, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public int[] leadingSpecialTokens() {
        return leading.clone();
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

    /**
     * Returns the chat template of the directory the tokenizer came from ({@link JinjaChatTemplate#find}).
     *
     * @return the template, or empty when the model has none
     */
    @Override
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chat);
    }

    /** Releases the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "DjlTokenizer[" + file + ", vocab=" + vocabSize + ", eos=" + eosId + ", pad=" + padId + ", leading="
                + Arrays.toString(leading) + "]";
    }
}
