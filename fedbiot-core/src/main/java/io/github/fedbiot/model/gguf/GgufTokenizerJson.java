/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a Hugging Face {@code tokenizer.json} (the format of the Rust {@code tokenizers} library, which DJL's
 * HuggingFace tokenizer and Python's {@code tokenizers}/{@code transformers} load) from a GGUF file's tokenizer
 * metadata.
 *
 * <p>Supported: {@code tokenizer.ggml.model = "gpt2"}, i.e. byte-level BPE, from {@code tokenizer.ggml.tokens}
 * (the vocabulary in id order, already in the byte-to-unicode alphabet of GPT-2), {@code tokenizer.ggml.merges}
 * ("left right" strings in rank order) and {@code tokenizer.ggml.token_type} (CONTROL tokens become special
 * added tokens, USER_DEFINED ones plain added tokens). The pre-tokenizer follows {@code tokenizer.ggml.pre}:
 * <ul>
 *   <li>{@code smollm}, {@code starcoder}, {@code refact}, {@code codeshell}: split every digit apart, then the
 *       GPT-2 regex (Hugging Face: {@code Digits(individual_digits)} + {@code ByteLevel(use_regex)});</li>
 *   <li>{@code gpt2} or absent: the GPT-2 regex ({@code ByteLevel(use_regex)}).</li>
 * </ul>
 * When {@code tokenizer.ggml.add_bos_token} is true, a template processor prepends BOS.
 */
public final class GgufTokenizerJson {
    /** Token type ids of {@code tokenizer.ggml.token_type}. */
    static final int NORMAL = 1;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DIGIT_SPLIT_PRE = Set.of("smollm", "starcoder", "refact", "codeshell");
    private static final Set<String> GPT2_PRE = Set.of("gpt2", "gpt-2", "default");

    private GgufTokenizerJson() {}

    /**
     * Builds the tokenizer.json tree.
     *
     * @param gguf an open GGUF file with tokenizer metadata
     * @return the JSON tree
     * @throws GgufFormatException if the tokenizer kind is not supported or the metadata is inconsistent
     */
    public static ObjectNode build(GgufFile gguf) {
        String model = gguf.getString("tokenizer.ggml.model");
        if (!model.equals("gpt2")) {
            throw bad(gguf, "tokenizer.ggml.model '" + model + "' is not supported (supported: gpt2, byte-level BPE)");
        }
        String pre = gguf.getString("tokenizer.ggml.pre", "gpt2");
        if (!DIGIT_SPLIT_PRE.contains(pre) && !GPT2_PRE.contains(pre)) {
            throw bad(gguf, "tokenizer.ggml.pre '" + pre + "' is not supported (supported: "
                    + String.join(", ", DIGIT_SPLIT_PRE) + ", gpt2)");
        }
        List<String> tokens = gguf.getStringList("tokenizer.ggml.tokens");
        List<String> merges = gguf.getStringList("tokenizer.ggml.merges");
        long[] types = gguf.has("tokenizer.ggml.token_type") ? gguf.getLongArray("tokenizer.ggml.token_type")
                : new long[0];
        if (types.length != 0 && types.length != tokens.size()) {
            throw bad(gguf, "tokenizer.ggml.token_type has " + types.length + " entries but tokenizer.ggml.tokens has "
                    + tokens.size());
        }

        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < types.length; id++) {
            if (types[id] == CONTROL || types[id] == USER_DEFINED) {
                ObjectNode t = added.addObject();
                t.put("id", id);
                t.put("content", tokens.get(id));
                t.put("single_word", false);
                t.put("lstrip", false);
                t.put("rstrip", false);
                t.put("normalized", types[id] != CONTROL);
                t.put("special", types[id] == CONTROL);
            }
        }
        root.putNull("normalizer");
        ObjectNode byteLevel = byteLevel(false, true);
        if (DIGIT_SPLIT_PRE.contains(pre)) {
            ObjectNode seq = root.putObject("pre_tokenizer");
            seq.put("type", "Sequence");
            ArrayNode list = seq.putArray("pretokenizers");
            list.addObject().put("type", "Digits").put("individual_digits", true);
            list.add(byteLevel);
        } else {
            root.set("pre_tokenizer", byteLevel);
        }
        if (gguf.getBoolean("tokenizer.ggml.add_bos_token", false)) {
            root.set("post_processor", bosTemplate(gguf, tokens));
        } else {
            root.set("post_processor", byteLevel(true, false));
        }
        root.set("decoder", byteLevel(true, true));

        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            if (vocab.has(tokens.get(id))) {
                throw bad(gguf, "token " + id + " '" + tokens.get(id) + "' repeats token " + vocab.get(tokens.get(id))
                        + " (a BPE vocabulary needs unique tokens)");
            }
            vocab.put(tokens.get(id), id);
        }
        ArrayNode mergeArray = bpe.putArray("merges");
        Set<String> known = new HashSet<>(tokens);
        for (int i = 0; i < merges.size(); i++) {
            String m = merges.get(i);
            int space = m.indexOf(' ');
            if (space <= 0 || space == m.length() - 1 || m.indexOf(' ', space + 1) >= 0) {
                throw bad(gguf, "merge " + i + " '" + m + "' is not two tokens separated by one space");
            }
            String merged = m.substring(0, space) + m.substring(space + 1);
            if (!known.contains(m.substring(0, space)) || !known.contains(m.substring(space + 1))
                    || !known.contains(merged)) {
                throw bad(gguf, "merge " + i + " '" + m + "' uses or makes a token not in the vocabulary");
            }
            mergeArray.add(m);
        }
        return root;
    }

    /**
     * Builds the companion {@code tokenizer_config.json} tree for transformers.
     *
     * @param gguf an open GGUF file with tokenizer metadata
     * @param maxLength the model's context length
     * @return the JSON tree
     */
    public static ObjectNode config(GgufFile gguf, int maxLength) {
        List<String> tokens = gguf.getStringList("tokenizer.ggml.tokens");
        ObjectNode c = JSON.createObjectNode();
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("add_bos_token", gguf.getBoolean("tokenizer.ggml.add_bos_token", false));
        c.put("add_eos_token", gguf.getBoolean("tokenizer.ggml.add_eos_token", false));
        putToken(c, "bos_token", gguf, "tokenizer.ggml.bos_token_id", tokens);
        putToken(c, "eos_token", gguf, "tokenizer.ggml.eos_token_id", tokens);
        putToken(c, "unk_token", gguf, "tokenizer.ggml.unknown_token_id", tokens);
        putToken(c, "pad_token", gguf, "tokenizer.ggml.padding_token_id", tokens);
        c.put("model_max_length", maxLength);
        c.put("clean_up_tokenization_spaces", false);
        if (gguf.has("tokenizer.chat_template")) {
            c.put("chat_template", gguf.getString("tokenizer.chat_template"));
        }
        return c;
    }

    private static void putToken(ObjectNode c, String field, GgufFile gguf, String key, List<String> tokens) {
        if (gguf.has(key)) {
            c.put(field, token(gguf, key, tokens));
        }
    }

    private static String token(GgufFile gguf, String key, List<String> tokens) {
        int id = gguf.getInt(key);
        if (id < 0 || id >= tokens.size()) {
            throw bad(gguf, key + " " + id + " is outside the vocabulary of " + tokens.size());
        }
        return tokens.get(id);
    }

    private static ObjectNode bosTemplate(GgufFile gguf, List<String> tokens) {
        int bos = gguf.getInt("tokenizer.ggml.bos_token_id");
        String bosToken = token(gguf, "tokenizer.ggml.bos_token_id", tokens);
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "TemplateProcessing");
        ArrayNode single = p.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bosToken).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = p.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bosToken).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bosToken).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = p.putObject("special_tokens").putObject(bosToken);
        st.put("id", bosToken);
        st.putArray("ids").add(bos);
        st.putArray("tokens").add(bosToken);
        return p;
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode b = JSON.createObjectNode();
        b.put("type", "ByteLevel");
        b.put("add_prefix_space", addPrefixSpace);
        b.put("trim_offsets", trimOffsets);
        b.put("use_regex", true);
        return b;
    }

    private static GgufFormatException bad(GgufFile gguf, String message) {
        return new GgufFormatException("GGUF file " + gguf.path() + ": " + message);
    }
}
