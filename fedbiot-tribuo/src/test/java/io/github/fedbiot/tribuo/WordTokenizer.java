/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.data.PromptTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a Hugging Face WordLevel {@code tokenizer.json} (Whitespace pre-tokenizer) whose vocabulary is the
 * words of the Alpaca prompt and of some texts; numbers are left out and become {@code [UNK]}. Tests use it
 * for short sequences: the Alpaca prompt is about 25 tokens instead of about 150 bytes. Published in this module's
 * test-jar for the tiny model of integration-tests' consumer projects.
 */
public final class WordTokenizer {
    /** Hugging Face's Whitespace pre-tokenizer pattern. */
    private static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]+");
    private static final List<String> SPECIAL = List.of("<|endoftext|>", "[PAD]", "[UNK]");

    private WordTokenizer() {}

    /**
     * Writes the tokenizer.
     *
     * @param file the tokenizer.json to write
     * @param texts the texts whose words form the vocabulary (besides the prompt's)
     * @return the vocabulary size
     */
    public static int write(Path file, Collection<String> texts) {
        TreeSet<String> words = new TreeSet<>();
        addWords(words, PromptTemplate.WITHOUT_INPUT.replace("%1$s", ""));
        texts.forEach(t -> addWords(words, t));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode vocab = json.createObjectNode();
        int id = 0;
        for (String s : SPECIAL) {
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            vocab.put(s, id++);
        }
        for (String w : words) {
            vocab.put(w, id++);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        model.set("vocab", vocab);
        model.put("unk_token", "[UNK]");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return id;
    }

    private static void addWords(TreeSet<String> words, String text) {
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            if (!m.group().chars().allMatch(Character::isDigit)) {
                words.add(m.group());
            }
        }
    }
}
