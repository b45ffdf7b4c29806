/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Hugging Face reference fixtures written by {@code python/make_hf_fixtures.py}.
 *
 * <p>By default they are the committed ones on the test class path ({@code fixtures/hf}); the {@code hf-live}
 * Maven profile sets the system property {@code fedbiot.hf.fixtures} to a directory it has just regenerated
 * with the pinned transformers.
 */
final class HfFixtures {
    /** System property naming a fixture directory to use instead of the committed one. */
    static final String PROPERTY = "fedbiot.hf.fixtures";

    /** The models the script writes, in the order the tests report them. */
    static final List<String> MODELS = List.of("llama", "llama-bias", "qwen2", "gpt2", "mistral-sw", "qwen2-sw",
            "llama-bf16", "gpt2-f16");

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfFixtures() {}

    /**
     * Returns the fixture root (holds manifest.json): the {@code fedbiot.hf.fixtures} directory if set, else the
     * committed fixtures.
     *
     * @return the directory
     */
    static Path root() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p.resolve("manifest.json"))) {
                throw new IllegalStateException(PROPERTY + "=" + override + " has no manifest.json");
            }
            return p;
        }
        return committed();
    }

    /** Returns the committed fixtures on the test class path. @return the directory */
    static Path committed() {
        URL url = HfFixtures.class.getResource("/fixtures/hf/manifest.json");
        if (url == null) {
            throw new IllegalStateException("fixtures/hf/manifest.json is not on the test class path");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a JSON file. @param file the file @return the tree */
    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The expected values of one model: tokens [B,T]; logits [B,T,V] without and with the adapter, of the full
     * model and of the model run with only the decoder layers in {@code stack} (as an emulator); labels [B,T]
     * ({@code -100} = ignored) with transformers' mean causal-LM loss and per-row summed log-likelihoods; a
     * prompt and its greedy continuation by {@code generate}. {@code *Lora}: with the adapter.
     */
    record Expected(int batch, int seq, int vocab, int[] tokens, Tensor logits, Tensor logitsLora,
            List<Integer> stack, Tensor logitsStack, Tensor logitsStackLora, int[] labels, double loss,
            double lossLora, float[] seqLoglik, float[] seqLoglikLora, int[] genPrompt, int[] genGreedy,
            int[] genGreedyLora) {}

    /** Reads {@code <model>/expected.safetensors}. @param modelDir the model directory @return the values */
    static Expected expected(Path modelDir) {
        try (SafetensorsReader r = SafetensorsReader.open(modelDir.resolve("expected.safetensors"))) {
            int[] shape = r.shape("logits");
            return new Expected(shape[0], shape[1], shape[2], ints(r, "tokens"), r.read("logits"),
                    r.read("logits_lora"), Arrays.stream(ints(r, "stack")).boxed().toList(), r.read("logits_stack"),
                    r.read("logits_stack_lora"), ints(r, "labels"), r.read("loss").data()[0],
                    r.read("loss_lora").data()[0], r.read("seq_loglik").data(), r.read("seq_loglik_lora").data(),
                    ints(r, "gen_prompt"), ints(r, "gen_greedy"), ints(r, "gen_greedy_lora"));
        }
    }

    private static int[] ints(SafetensorsReader r, String name) {
        return Arrays.stream(r.readLongs(name)).mapToInt(Math::toIntExact).toArray();
    }

    /**
     * Reads the LoRA settings of a PEFT adapter directory (r, lora_alpha, lora_dropout, target_modules).
     *
     * @param adapterDir the adapter directory
     * @return the spec
     */
    static LoraSpec loraSpec(Path adapterDir) {
        JsonNode c = json(adapterDir.resolve("adapter_config.json"));
        List<String> targets = new ArrayList<>();
        c.get("target_modules").forEach(t -> targets.add(t.asText()));
        return new LoraSpec(c.get("r").asInt(), c.get("lora_alpha").asDouble(), c.get("lora_dropout").asDouble(),
                targets);
    }

    /**
     * Reads the tensors of a PEFT adapter with the {@code base_model.model.} prefix removed (the names
     * {@link io.github.fedbiot.model.LoraNames} uses).
     *
     * @param adapterDir the adapter directory
     * @return the LoRA tensors
     */
    static NamedTensors loraTensors(Path adapterDir) {
        String prefix = "base_model.model.";
        NamedTensors.Builder b = NamedTensors.builder();
        try (SafetensorsReader r = SafetensorsReader.open(adapterDir.resolve("adapter_model.safetensors"))) {
            for (String name : r.names()) {
                if (!name.startsWith(prefix)) {
                    throw new IllegalStateException("unexpected adapter tensor " + name);
                }
                b.add(name.substring(prefix.length()), r.read(name));
            }
        }
        return b.build();
    }

    /**
     * Returns the largest absolute difference, failing on a length mismatch or a non-finite value.
     *
     * @param expected the reference
     * @param actual the values to check
     * @return max |expected - actual|
     */
    static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= Double.MAX_VALUE)) {
                return Double.POSITIVE_INFINITY; // NaN or infinity anywhere fails any tolerance
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
