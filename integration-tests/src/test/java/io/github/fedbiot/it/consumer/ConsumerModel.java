/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.consumer;

import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tribuo.WordTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the tiny model the consumer projects of src/it train: a seeded random LLaMA (4 layers, width 64,
 * context 96) as a Hugging Face directory, with a word-level tokenizer over a word list, so that their prompts
 * stay short. The build runs it before the invoker (integration-tests/pom.xml).
 */
public final class ConsumerModel {
    private ConsumerModel() {}

    /**
     * Writes the model.
     *
     * @param args the model directory, and the word list file (words separated by white space)
     * @throws IOException if the word list cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Path tokenizer = dir.resolve("tokenizer.json");
        int vocab = WordTokenizer.write(tokenizer, Files.readAllLines(Path.of(args[1])));
        // The shape of FedBiOTExamplesTest's tiny model: small enough that two rounds take seconds.
        ModelSpec spec = new ModelSpec(Architecture.LLAMA, "llama", vocab, 64, 4, 4, 2, 16, 128, 96, 1e-5, 10000.0,
                null, false, false, "silu", 0, 0);
        try (DjlBaseModel m = DjlBaseModel.random(spec, 11, 0.1, tokenizer)) {
            m.save(dir);
        }
    }
}
