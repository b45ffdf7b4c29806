/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.djl.DjlTokenizer;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.EvalResult;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.TextTokenizer;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.PeftAdapter;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks that the DJL engine computes the logits Hugging Face transformers computes, for tiny LLaMA (GQA,
 * llama3 RoPE scaling, untied head), Qwen2 (q/k/v bias, tied head) and GPT-2 checkpoints, also when stored in
 * BF16 and F16, and for sliding-window attention (Mistral with a window of 5 over 12 positions on every layer;
 * Qwen2 with layer_types full, full, sliding), without and with a PEFT LoRA adapter, for the full model and for a
 * subset of its layers (an emulator: transformers' model with the other layers removed, each kept layer with its
 * own attention kind); that greedy generation with the KV cache gives transformers' tokens (for the
 * sliding-window models 16 new tokens after a prompt of 5, past the window and past the fixture's length); and
 * that the engine's tokenizer gives transformers' ids.
 *
 * <p>The references are written by {@code python/make_hf_fixtures.py} with the pinned versions of
 * {@code python/requirements-hf.txt}.
 */
class HfParityIT {
    /** fp32 tolerance on logits of magnitude ~1-10. */
    static final double TOLERANCE = 1e-4;

    static List<String> models() {
        return HfFixtures.MODELS;
    }

    static List<Integer> fullStack(ModelSpec spec) {
        return IntStream.range(0, spec.numLayers()).boxed().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void logitsMatchTransformers(String name) {
        Path dir = HfFixtures.root().resolve(name);
        HfFixtures.Expected exp = HfFixtures.expected(dir);
        PeftAdapter peft = PeftAdapter.read(dir.resolve("adapter"));
        LoraSpec lora = peft.lora();
        NamedTensors adapter = peft.tensors();
        try (DjlBaseModel model = (DjlBaseModel) Engines.get("djl").load(dir)) {
            ModelSpec spec = model.spec();
            assertEquals(exp.vocab(), spec.vocabSize(), "vocab size");
            List<Integer> stack = fullStack(spec);

            double diffBase = compare(model, stack, lora, NamedTensors.empty(), exp, exp.logits());
            double diffLora = compare(model, stack, lora, adapter, exp, exp.logitsLora());
            double diffStack = compare(model, exp.stack(), lora, NamedTensors.empty(), exp, exp.logitsStack());
            double diffStackLora = compare(model, exp.stack(), lora, adapter, exp, exp.logitsStackLora());
            // The adapter must matter, or the LoRA comparisons would not test the LoRA path.
            double loraEffect = HfFixtures.maxAbsDiff(exp.logits().data(), exp.logitsLora().data());
            System.out.printf("[hf-parity] %-10s max|dlogits| base %.3e, LoRA %.3e; layers %s: base %.3e, LoRA "
                    + "%.3e (LoRA effect %.2f)%n", name, diffBase, diffLora, exp.stack(), diffStack, diffStackLora,
                    loraEffect);
            assertTrue(diffBase <= TOLERANCE, name + ": base logits differ from transformers by " + diffBase);
            assertTrue(diffLora <= TOLERANCE, name + ": LoRA logits differ from transformers+PEFT by " + diffLora);
            assertTrue(diffStack <= TOLERANCE, name + ": logits of layers " + exp.stack() + " differ by "
                    + diffStack);
            assertTrue(diffStackLora <= TOLERANCE, name + ": LoRA logits of layers " + exp.stack() + " differ by "
                    + diffStackLora);
            assertTrue(loraEffect > 100 * TOLERANCE, name + ": the adapter barely changes the logits");
        }
    }

    private static double compare(DjlBaseModel model, List<Integer> stack, LoraSpec lora, NamedTensors tensors,
            HfFixtures.Expected exp, Tensor expected) {
        float[] actual = model.logits(stack, lora, tensors, exp.tokens(), exp.batch(), exp.seq());
        return HfFixtures.maxAbsDiff(expected.data(), actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void lossesMatchTransformers(String name) {
        Path dir = HfFixtures.root().resolve(name);
        HfFixtures.Expected exp = HfFixtures.expected(dir);
        PeftAdapter peft = PeftAdapter.read(dir.resolve("adapter"));
        Batch batch = new Batch(exp.batch(), exp.seq(), exp.tokens(), exp.labels(), exp.batch());
        try (DjlBaseModel model = (DjlBaseModel) Engines.get("djl").load(dir)) {
            List<Integer> stack = fullStack(model.spec());
            for (boolean withLora : new boolean[] {false, true}) {
                NamedTensors t = withLora ? peft.tensors() : NamedTensors.empty();
                EvalResult eval = model.evaluate(stack, peft.lora(), t, List.of(batch));
                assertEquals(batch.targetCount(), eval.tokens(), "labelled tokens");
                double loss = withLora ? exp.lossLora() : exp.loss();
                double dLoss = Math.abs(eval.meanLoss() - loss);
                double[] ll = model.sequenceLogLikelihoods(stack, peft.lora(), t, batch);
                float[] expLl = withLora ? exp.seqLoglikLora() : exp.seqLoglik();
                double dLl = 0;
                for (int b = 0; b < exp.batch(); b++) {
                    dLl = Math.max(dLl, Math.abs(ll[b] - expLl[b]));
                }
                System.out.printf("[hf-parity] %-10s %s: |dloss| %.3e (loss %.4f), max|dloglik| %.3e%n", name,
                        withLora ? "LoRA" : "base", dLoss, loss, dLl);
                assertTrue(dLoss <= TOLERANCE, name + ": mean loss differs from transformers by " + dLoss);
                assertTrue(dLl <= TOLERANCE, name + ": sequence log-likelihoods differ by " + dLl);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void greedyGenerationMatchesTransformers(String name) {
        Path dir = HfFixtures.root().resolve(name);
        HfFixtures.Expected exp = HfFixtures.expected(dir);
        PeftAdapter peft = PeftAdapter.read(dir.resolve("adapter"));
        try (DjlBaseModel model = (DjlBaseModel) Engines.get("djl").load(dir)) {
            List<Integer> stack = fullStack(model.spec());
            GenerationConfig greedy = GenerationConfig.greedy(exp.genGreedy().length);
            assertArrayEquals(exp.genGreedy(), model.generate(stack, peft.lora(), NamedTensors.empty(),
                    exp.genPrompt(), greedy), name + ": greedy continuation");
            assertArrayEquals(exp.genGreedyLora(), model.generate(stack, peft.lora(), peft.tensors(),
                    exp.genPrompt(), greedy), name + ": greedy continuation with the adapter");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void peftAdapterReadsWhatPeftWrote(String name) {
        Path adapterDir = HfFixtures.root().resolve(name).resolve("adapter");
        PeftAdapter peft = PeftAdapter.read(adapterDir);
        NamedTensors raw = HfFixtures.loraTensors(adapterDir);
        assertEquals(HfFixtures.loraSpec(adapterDir), peft.lora(), "LoRA settings");
        assertEquals(raw.names(), peft.tensors().names(), "tensor names without the PEFT prefix");
        assertEquals(0.0, raw.maxAbsDiff(peft.tensors()), "tensor values");
        assertEquals(name.startsWith("gpt2"), peft.fanInFanOut(), "fan_in_fan_out");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void tokenizerMatchesTransformers(String name) {
        JsonNode cases = HfFixtures.json(HfFixtures.root().resolve("tokenizer/expected.json")).get("cases");
        assertTrue(cases.size() >= 5, "tokenizer cases");
        try (DjlBaseModel model = (DjlBaseModel) Engines.get("djl").load(HfFixtures.root().resolve(name))) {
            TextTokenizer tok = model.tokenizer();
            assertInstanceOf(DjlTokenizer.class, tok, "the engine's tokenizer");
            assertEquals(320, tok.vocabSize(), "vocab size");
            assertEquals(0, tok.eosId(), "eos id (<|endoftext|>)");
            for (JsonNode c : cases) {
                String text = c.get("text").asText();
                List<Integer> ids = new ArrayList<>();
                c.get("ids").forEach(i -> ids.add(i.asInt()));
                int[] expected = ids.stream().mapToInt(Integer::intValue).toArray();
                assertArrayEquals(expected, tok.encode(text), "ids of " + text);
                assertEquals(text, tok.decode(expected), "decode of " + text);
            }
        }
    }
}
