/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.DType;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversion of {@code tiny-llama.gguf} (written by the Python gguf package with llama.cpp's q/k row order,
 * python/gguf/make_test_files.py) against the Hugging Face tensors the script wrote beside it, and of
 * malformed models built byte by byte.
 */
class GgufToHuggingFaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void convertsTheTinyLlamaToTheHuggingFaceTensors() throws IOException {
        Path out = tmp.resolve("hf");
        GgufToHuggingFace.Result r = GgufToHuggingFace.convert(GgufReaderTest.resource("tiny-llama.gguf"), out);
        assertThat(r.tensors()).isEqualTo(1 + 2 * 9 + 1);
        assertThat(r.sourceTypes()).containsEntry(GgmlType.Q8_0, 15).containsEntry(GgmlType.F32, 5);
        NamedTensors expected = readAll(GgufReaderTest.resource("tiny-llama-hf.safetensors"));
        NamedTensors actual = readAll(out.resolve("model.safetensors"));
        assertThat(List.copyOf(actual.names())).isEqualTo(GgufToHuggingFace.expectedNames(r.spec()));
        actual.requireSameLayout(expected, "tiny llama");
        for (String name : expected.names()) {
            assertThat(actual.get(name).contentEquals(expected.get(name))).as(name).isTrue();
        }
        // Without undoing the rotary order, q and k would differ from the Hugging Face tensors.
        try (GgufFile g = GgufReader.open(GgufReaderTest.resource("tiny-llama.gguf"))) {
            Tensor storedQ = g.dequantize("blk.0.attn_q.weight");
            assertThat(storedQ.contentEquals(expected.get("model.layers.0.self_attn.q_proj.weight"))).isFalse();
        }

        ModelSpec spec = ModelSpec.read(out);
        assertThat(spec).isEqualTo(r.spec());
        assertThat(spec.modelType()).isEqualTo("llama");
        assertThat(spec.numLayers()).isEqualTo(2);
        assertThat(spec.hiddenSize()).isEqualTo(32);
        assertThat(spec.numHeads()).isEqualTo(4);
        assertThat(spec.numKvHeads()).isEqualTo(2);
        assertThat(spec.headDim()).isEqualTo(8);
        assertThat(spec.intermediateSize()).isEqualTo(64);
        assertThat(spec.vocabSize()).isEqualTo(288);
        assertThat(spec.maxPositions()).isEqualTo(256);
        assertThat(spec.normEps()).isEqualTo(1e-5);
        assertThat(spec.ropeTheta()).isEqualTo(100000.0);
        assertThat(spec.tieWordEmbeddings()).isTrue();
        assertThat(spec.bosTokenId()).isEqualTo(1);
        assertThat(spec.eosTokenId()).isEqualTo(2);
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertThat(config.get("pad_token_id").asInt()).isEqualTo(2);
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");

        try (SafetensorsReader st = SafetensorsReader.open(out.resolve("model.safetensors"))) {
            assertThat(st.metadata()).containsEntry("source", "tiny-llama.gguf").containsEntry("source_sha256", r.sha256());
        }
        assertThat(Files.readString(out.resolve("README.md"))).contains(r.sha256()).contains("apache-2.0");
    }

    @Test
    void writesAByteLevelBpeTokenizer() throws IOException {
        Path out = tmp.resolve("hf");
        GgufToHuggingFace.convert(GgufReaderTest.resource("tiny-llama.gguf"), out);
        JsonNode tok = JSON.readTree(out.resolve("tokenizer.json").toFile());
        JsonNode model = tok.get("model");
        assertThat(model.get("type").asText()).isEqualTo("BPE");
        assertThat(model.get("vocab").size()).isEqualTo(288);
        assertThat(model.get("vocab").get("Ġworld").asInt()).isEqualTo(3 + 256 + 13);
        assertThat(model.get("vocab").get("!").asInt()).isEqualTo(3);
        assertThat(model.get("merges").size()).isEqualTo(14);
        assertThat(model.get("merges").get(2).asText()).isEqualTo("Ġt he");
        JsonNode added = tok.get("added_tokens");
        assertThat(added.size()).isEqualTo(3 + 15);
        assertThat(added.get(2).get("content").asText()).isEqualTo("<|im_end|>");
        assertThat(added.get(2).get("special").asBoolean()).isTrue();
        assertThat(added.get(3).get("content").asText()).isEqualTo("<pad_0>");
        assertThat(added.get(3).get("special").asBoolean()).isFalse();
        JsonNode pre = tok.get("pre_tokenizer");
        assertThat(pre.get("type").asText()).isEqualTo("Sequence");
        assertThat(pre.get("pretokenizers").get(0).get("type").asText()).isEqualTo("Digits");
        assertThat(pre.get("pretokenizers").get(0).get("individual_digits").asBoolean()).isTrue();
        assertThat(pre.get("pretokenizers").get(1).get("type").asText()).isEqualTo("ByteLevel");
        assertThat(tok.get("decoder").get("type").asText()).isEqualTo("ByteLevel");

        JsonNode cfg = JSON.readTree(out.resolve("tokenizer_config.json").toFile());
        assertThat(cfg.get("bos_token").asText()).isEqualTo("<|im_start|>");
        assertThat(cfg.get("eos_token").asText()).isEqualTo("<|im_end|>");
        assertThat(cfg.get("pad_token").asText()).isEqualTo("<|im_end|>");
        assertThat(cfg.get("add_bos_token").asBoolean()).isFalse();
        assertThat(cfg.get("chat_template").asText()).startsWith("{% for m in messages %}");
    }

    @Test
    void bf16OutputRoundsTheValues() {
        Path out = tmp.resolve("bf16");
        GgufToHuggingFace.convert(GgufReaderTest.resource("tiny-llama.gguf"), out, DType.BF16);
        NamedTensors expected = readAll(GgufReaderTest.resource("tiny-llama-hf.safetensors"));
        NamedTensors actual = readAll(out.resolve("model.safetensors"));
        for (String name : expected.names()) {
            Tensor e = expected.get(name);
            double tolerance = Math.sqrt(e.squaredNorm() / e.numel()) * 4 / 256; // 8 mantissa bits, values ~ +-4 sd
            assertThat(actual.get(name).maxAbsDiff(e)).as(name).isLessThanOrEqualTo(tolerance);
        }
    }

    @Test
    void rejectsAnUnknownTensor() throws IOException {
        Path p = tinyModel(b -> b.f32("blk.0.ffn_gate_exps.weight", 4));
        assertThatThrownBy(() -> convert(p)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("tensor 'blk.0.ffn_gate_exps.weight' has no Hugging Face LLaMA name");
    }

    @Test
    void rejectsAMissingTensor() throws IOException {
        Path p = tinyModel(b -> { }, "blk.0.ffn_up.weight");
        assertThatThrownBy(() -> convert(p)).hasMessageContaining("missing tensors [model.layers.0.mlp.up_proj.weight]");
    }

    @Test
    void rejectsAWrongShape() throws IOException {
        Path p = tinyModel(b -> b.f32("blk.0.ffn_up.weight", 16, 4), "blk.0.ffn_up.weight");
        assertThatThrownBy(() -> convert(p)).hasMessageContaining("tensor 'blk.0.ffn_up.weight' has shape [16, 4], "
                + "expected [8, 4] for model.layers.0.mlp.up_proj.weight");
    }

    @Test
    void rejectsALayerBeyondTheBlockCount() throws IOException {
        Path p = tinyModel(b -> b.f32("blk.1.attn_norm.weight", 4));
        assertThatThrownBy(() -> convert(p)).hasMessageContaining("belongs to layer 1 but llama.block_count is 1");
    }

    @Test
    void rejectsOtherArchitecturesAndTokenizers() throws IOException {
        GgufBytes qwen = new GgufBytes().kvString("general.architecture", "qwen2");
        Path q = write(qwen.build());
        assertThatThrownBy(() -> convert(q)).hasMessageContaining("general.architecture 'qwen2' is not supported");
        Path spm = tinyModel(b -> { }, "tokenizer.ggml.model:llama");
        assertThatThrownBy(() -> GgufToHuggingFace.convert(spm, tmp.resolve("o")))
                .hasMessageContaining("tokenizer.ggml.model 'llama' is not supported");
        Path missing = write(new GgufBytes().kvString("general.architecture", "llama").build());
        assertThatThrownBy(() -> convert(missing)).hasMessageContaining("metadata key 'llama.embedding_length' is missing");
    }

    @Test
    void rejectsMergesOutsideTheVocabulary() throws IOException {
        Path p = tinyModel(b -> { }, "tokenizer.ggml.merges:x y");
        assertThatThrownBy(() -> GgufToHuggingFace.convert(p, tmp.resolve("o")))
                .hasMessageContaining("merge 0 'x y' uses or makes a token not in the vocabulary");
    }

    /** With tokenizer.ggml.add_bos_token, a template processor prepends BOS; a BOS id outside the vocabulary fails. */
    @Test
    void prependsBosWhenTheFileAsksForIt() throws IOException {
        Path p = tinyModel(b -> b.kv("tokenizer.ggml.add_bos_token", GgufValueType.BOOL.id(), new byte[] {1})
                .kvU32("tokenizer.ggml.bos_token_id", 3));
        try (GgufFile g = GgufReader.open(p)) {
            JsonNode post = GgufTokenizerJson.build(g).get("post_processor");
            assertThat(post.get("type").asText()).isEqualTo("TemplateProcessing");
            assertThat(post.get("single").get(0).get("SpecialToken").get("id").asText()).isEqualTo("<s>");
            assertThat(post.get("single").get(1).get("Sequence").get("id").asText()).isEqualTo("A");
            assertThat(post.get("special_tokens").get("<s>").get("ids").get(0).asInt()).isEqualTo(3);
            assertThat(GgufTokenizerJson.config(g, 16).get("add_bos_token").asBoolean()).isTrue();
            assertThat(GgufTokenizerJson.config(g, 16).get("bos_token").asText()).isEqualTo("<s>");
        }
        Path bad = tinyModel(b -> b.kvU32("tokenizer.ggml.bos_token_id", 99));
        try (GgufFile g = GgufReader.open(bad)) {
            assertThatThrownBy(() -> GgufTokenizerJson.config(g, 16))
                    .hasMessageContaining("tokenizer.ggml.bos_token_id 99 is outside the vocabulary of 4");
        }
    }

    /** Runs the weight part of the conversion (spec + tensors). */
    private static NamedTensors convert(Path p) {
        try (GgufFile g = GgufReader.open(p)) {
            return GgufToHuggingFace.weights(g, GgufModelSpec.from(g));
        }
    }

    /**
     * A 1-layer LLaMA (d 4, 2 heads, 1 KV head, MLP 8, vocab 4) of F32 tensors; {@code extra} adds tensors,
     * {@code skipOrOverride} names tensors to leave out or "key:value" string metadata to replace.
     */
    private Path tinyModel(Consumer<GgufBytes> extra, String... skipOrOverride) throws IOException {
        List<String> skip = List.of(skipOrOverride);
        GgufBytes b = new GgufBytes();
        b.kvString("general.architecture", "llama");
        b.kvU32("llama.block_count", 1).kvU32("llama.embedding_length", 4).kvU32("llama.feed_forward_length", 8)
                .kvU32("llama.attention.head_count", 2).kvU32("llama.attention.head_count_kv", 1)
                .kvU32("llama.context_length", 16).kvF32("llama.attention.layer_norm_rms_epsilon", 1e-6f);
        String model = skip.contains("tokenizer.ggml.model:llama") ? "llama" : "gpt2";
        b.kvString("tokenizer.ggml.model", model);
        b.kvStrings("tokenizer.ggml.tokens", List.of("a", "b", "ab", "<s>"));
        b.kvI32s("tokenizer.ggml.token_type", 1, 1, 1, 3);
        b.kvStrings("tokenizer.ggml.merges", skip.contains("tokenizer.ggml.merges:x y") ? List.of("x y") : List.of("a b"));
        List<String> names = new ArrayList<>(List.of("token_embd.weight:4,4", "output_norm.weight:4",
                "blk.0.attn_norm.weight:4", "blk.0.ffn_norm.weight:4", "blk.0.attn_q.weight:4,4",
                "blk.0.attn_k.weight:2,4", "blk.0.attn_v.weight:2,4", "blk.0.attn_output.weight:4,4",
                "blk.0.ffn_gate.weight:8,4", "blk.0.ffn_up.weight:8,4", "blk.0.ffn_down.weight:4,8"));
        for (String n : names) {
            String name = n.substring(0, n.indexOf(':'));
            if (skip.contains(name)) {
                continue;
            }
            String[] dims = n.substring(n.indexOf(':') + 1).split(",");
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Integer.parseInt(dims[i]);
            }
            b.f32(name, shape);
        }
        extra.accept(b);
        return write(b.build());
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(tmp, "m", ".gguf");
        Files.write(p, bytes);
        return p;
    }

    static NamedTensors readAll(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return r.readAll();
        }
    }
}
