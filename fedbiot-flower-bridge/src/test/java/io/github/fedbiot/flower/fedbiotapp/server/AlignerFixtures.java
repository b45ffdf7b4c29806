/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The aligner tests' fixture: a tiny random LLaMA on the DJL engine (4 layers; the plan keeps layer 3 as the
 * adapter), two public examples and a FedBiOT server configuration of 3 rounds with one alignment step.
 */
public final class AlignerFixtures {
    private AlignerFixtures() {}

    /**
     * Returns a new tiny random model (the caller closes it).
     *
     * @return the model
     * @throws Exception if the tokenizer resource cannot be read
     */
    public static DjlBaseModel tinyModel() throws Exception {
        Path tk = Path.of(AlignerFixtures.class.getResource("tokenizer.json").toURI());
        return DjlBaseModel.random(ModelSpec.llama(64, 32, 4, 4, 2, 64, 64, true), 3, 0.3, tk);
    }

    /**
     * Writes {@code public.jsonl} and {@code server.yaml} into a directory and reads the configuration.
     *
     * @param work the directory
     * @param dataLine the line of the {@code data} section naming a data file, e.g. {@code public: public.jsonl}
     * @return the configuration
     * @throws Exception if a file cannot be written or read
     */
    public static FedbiotConfig config(Path work, String dataLine) throws Exception {
        Files.writeString(work.resolve("public.jsonl"), """
                {"instruction": "the cat", "input": "", "output": "sat on the mat"}
                {"instruction": "a dog", "input": "", "output": "ran fast ."}
                """);
        Path file = work.resolve("server.yaml");
        Files.writeString(file, """
                seed: 5
                data:
                  %s
                  max_length: 64
                plan:
                  adapter_layers: 1
                  drop_rate: 0.5
                lora:
                  rank: 2
                  alpha: 4
                server:
                  align_steps: 1
                  pre_align_rounds: 1
                  batch_size: 2
                  grad_accum: 1
                federation:
                  rounds: 3
                """.formatted(dataLine));
        return FedbiotConfigReader.read(file);
    }
}
