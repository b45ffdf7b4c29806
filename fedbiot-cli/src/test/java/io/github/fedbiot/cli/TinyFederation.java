/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A tiny random LLaMA (6 layers, width 32, word-level tokenizer over the fixtures) saved as a Hugging Face directory, and a small
 * configuration over the test fixtures (3 arithmetic categories = 3 clients, 16 public examples), so that
 * end-to-end runs take seconds.
 */
public final class TinyFederation {
    private TinyFederation() {}

    /** Returns a test resource's path. */
    public static Path resource(String name) {
        URL url = TinyFederation.class.getResource(name);
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            // Read from this module's test-jar (the benchmarks' tests): callers need a file, so copy it out.
            Path copy = Files.createTempFile("tiny-federation-", "-" + name);
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tiny model's shape: vocab 128 (a 103-word word-level tokenizer), 6 layers, 4 heads (2 KV), MLP 64. */
    static ModelSpec spec() {
        return ModelSpec.llama(128, 32, 6, 4, 2, 64, 256, false);
    }

    /** Saves a seeded random tiny model with the byte-level tokenizer into {@code dir}. */
    public static Path saveModel(Path dir) {
        try (DjlBaseModel m = DjlBaseModel.random(spec(), 11, resource("word-tokenizer.json"))) {
            m.save(dir);
            Files.copy(resource("word-tokenizer.json"), dir.resolve("tokenizer.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Returns the YAML of a small run of {@code rounds} rounds: 2 local steps of 2 x 2 examples, 2 alignment steps. */
    public static String yaml(Path modelDir, String algorithm, int rounds) {
        return """
                seed: 5
                algorithm: %s
                model:
                  dir: %s
                data:
                  train: %s
                  public: %s
                  partition: category
                  validation_fraction: 0.15
                  test_fraction: 0.15
                  max_length: 96
                plan:
                  adapter_layers: 2
                  drop_rate: 0.5
                  baseline_pad: 2
                lora:
                  rank: 4
                  alpha: 8
                  dropout: 0.05
                optimizer:
                  lr: 0.01
                client:
                  local_steps: 2
                  batch_size: 2
                  grad_accum: 2
                  proximal_weight: 0.1
                server:
                  align_steps: 2
                  pre_align_rounds: 1
                  kl_weight: 0.5
                  batch_size: 2
                  grad_accum: 1
                federation:
                  rounds: %d
                eval:
                  max_examples: 2
                  generate_examples: 1
                  max_new_tokens: 4
                  batch_size: 2
                """.formatted(algorithm, modelDir, resource("train.jsonl"), resource("public.jsonl"), rounds);
    }

    /** Returns the parsed configuration of {@link #yaml}. */
    static FedbiotConfig config(Path modelDir, String algorithm, int rounds) {
        return FedbiotConfigReader.parse(yaml(modelDir, algorithm, rounds), true);
    }
}
