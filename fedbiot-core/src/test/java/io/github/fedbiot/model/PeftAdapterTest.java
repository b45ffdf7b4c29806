/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAdapterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** TinyLlama's shape with fewer layers: GQA makes q_proj and v_proj differ. */
    private static final ModelSpec LLAMA = ModelSpec.llama(32000, 2048, 4, 32, 4, 5632, 2048, false);
    private static final ModelSpec GPT2 = new ModelSpec(Architecture.GPT2, "gpt2", 50257, 64, 3, 4, 4, 16, 256, 128,
            1e-5, 0, null, true, true, "gelu_new", 50256, 50256);

    @TempDir
    Path dir;

    /** LoRA tensors with non-zero B, so that values are checked, not just zeros. */
    private static NamedTensors lora(ModelSpec spec, LoraSpec lora, List<Integer> layers) {
        NamedTensors init = LoraInit.create(spec, lora.forArchitecture(spec.architecture()), layers, 3);
        NamedTensors.Builder b = NamedTensors.builder();
        init.asMap().forEach((n, t) -> {
            float[] v = t.data().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.001f * (i % 7);
            }
            b.add(n, new Tensor(t.shape(), v));
        });
        return b.build();
    }

    private JsonNode configJson() throws IOException {
        return JSON.readTree(dir.resolve(PeftAdapter.CONFIG_FILE).toFile());
    }

    @Test
    void writesPeftsLayoutForLlama() throws IOException {
        NamedTensors t = lora(LLAMA, LoraSpec.DEFAULT, List.of(2, 3));
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, t, "TinyLlama/TinyLlama-1.1B-Chat-v1.0");
        JsonNode c = configJson();
        assertThat(c.get("peft_type").asText()).isEqualTo("LORA");
        assertThat(c.get("task_type").asText()).isEqualTo("CAUSAL_LM");
        assertThat(c.get("r").isInt()).isTrue();
        assertThat(c.get("r").asInt()).isEqualTo(8);
        assertThat(c.get("lora_alpha").isIntegralNumber()).isTrue(); // PEFT types it as int
        assertThat(c.get("lora_alpha").asInt()).isEqualTo(16);
        assertThat(c.get("lora_dropout").asDouble()).isEqualTo(0.05);
        assertThat(c.get("target_modules").toString()).isEqualTo("[\"q_proj\",\"v_proj\"]");
        assertThat(c.get("bias").asText()).isEqualTo("none");
        assertThat(c.get("fan_in_fan_out").asBoolean()).isFalse();
        assertThat(c.get("inference_mode").asBoolean()).isTrue();
        assertThat(c.get("use_rslora").asBoolean()).isFalse();
        assertThat(c.get("base_model_name_or_path").asText()).isEqualTo("TinyLlama/TinyLlama-1.1B-Chat-v1.0");
        assertThat(c.get("layers_to_transform").toString()).isEqualTo("[2,3]"); // FedBiOT's adapter: a subset
        List<String> keys = new ArrayList<>();
        c.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isSorted(); // as PEFT's json.dumps(sort_keys=True)
        try (SafetensorsReader r = SafetensorsReader.open(dir.resolve(PeftAdapter.WEIGHTS_FILE))) {
            assertThat(r.names()).contains("base_model.model.model.layers.2.self_attn.q_proj.lora_A.weight",
                    "base_model.model.model.layers.3.self_attn.v_proj.lora_B.weight").hasSize(8);
            assertThat(r.metadata()).containsEntry("format", "pt");
            assertThat(r.shape("base_model.model.model.layers.3.self_attn.v_proj.lora_B.weight")).containsExactly(256, 8);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(PeftAdapter.CONFIG_FILE,
                    PeftAdapter.WEIGHTS_FILE);
        }
    }

    @Test
    void roundTripsLlama() {
        LoraSpec spec = new LoraSpec(4, 12.5, 0.1, List.of("q_proj", "k_proj", "down_proj"));
        NamedTensors t = lora(LLAMA, spec, List.of(0, 3));
        PeftAdapter.write(dir, LLAMA, spec, t, null);
        PeftAdapter a = PeftAdapter.read(dir);
        assertThat(a.lora()).isEqualTo(spec);
        assertThat(a.tensors()).isEqualTo(t);
        assertThat(a.tensors().names()).containsExactlyElementsOf(t.names());
        assertThat(a.baseModelName()).isNull();
        assertThat(a.fanInFanOut()).isFalse();
        assertThat(PeftAdapter.read(dir, LLAMA)).isEqualTo(a);
    }

    @Test
    void allLayersNeedNoLayersToTransform() throws IOException {
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, lora(LLAMA, LoraSpec.DEFAULT, List.of(0, 1, 2, 3)), null);
        assertThat(configJson().get("layers_to_transform").isNull()).isTrue();
    }

    @Test
    void layersToTransformMustCoverTheTensors() throws IOException {
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, lora(LLAMA, LoraSpec.DEFAULT, List.of(1, 2)), null);
        editConfig(c -> c.put("layers_to_transform", 2));
        assertReadFails("'base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight' is outside the "
                + "layers_to_transform [2]");
        editConfig(c -> c.putArray("layers_to_transform").add(1).add(2).add(3));
        assertThat(PeftAdapter.read(dir).tensors().size()).isEqualTo(8);
        editConfig(c -> c.putArray("layers_to_transform").add("1"));
        assertReadFails("layers_to_transform must be a layer index or a list of them");
    }

    @Test
    void gpt2UsesConv1DFanInFanOut() throws IOException {
        NamedTensors t = lora(GPT2, LoraSpec.DEFAULT, List.of(1));
        PeftAdapter.write(dir, GPT2, LoraSpec.DEFAULT, t, "gpt2");
        JsonNode c = configJson();
        assertThat(c.get("fan_in_fan_out").asBoolean()).isTrue();
        assertThat(c.get("target_modules").toString()).isEqualTo("[\"c_attn\"]");
        PeftAdapter a = PeftAdapter.read(dir, GPT2);
        assertThat(a.fanInFanOut()).isTrue();
        assertThat(a.lora().targets()).containsExactly("c_attn");
        assertThat(a.tensors().get("transformer.h.1.attn.c_attn.lora_B.weight").shape()).containsExactly(192, 8);
        assertThat(a.tensors()).isEqualTo(t);
    }

    @Test
    void readsAConfigAsPeftWritesIt() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("peft/adapter_config.json")) {
            Files.copy(in, dir.resolve(PeftAdapter.CONFIG_FILE));
        }
        NamedTensors t = lora(LLAMA, LoraSpec.DEFAULT, List.of(0, 1, 2, 3));
        writeWeights(t);
        PeftAdapter a = PeftAdapter.read(dir, LLAMA);
        assertThat(a.lora()).isEqualTo(new LoraSpec(8, 16, 0.05, List.of("v_proj", "q_proj")));
        assertThat(a.baseModelName()).isEqualTo("TinyLlama/TinyLlama-1.1B-Chat-v1.0");
        assertThat(a.tensors()).isEqualTo(t);
    }

    /** The adapter_config.json PEFT 0.21.2 wrote for a GPT-2 LoRA (r 4, alpha 8 on c_attn). */
    @Test
    void readsAConfigWrittenByPeft0212() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("peft/adapter_config-peft-0.21.2-gpt2.json")) {
            Files.copy(in, dir.resolve(PeftAdapter.CONFIG_FILE));
        }
        LoraSpec spec = new LoraSpec(4, 8, 0, List.of("c_attn"));
        NamedTensors t = lora(GPT2, spec, List.of(0, 1, 2)); // all layers, as in that file
        writeWeights(t);
        PeftAdapter a = PeftAdapter.read(dir, GPT2);
        assertThat(a.lora()).isEqualTo(spec);
        assertThat(a.fanInFanOut()).isTrue();
        assertThat(a.baseModelName()).isEqualTo("gpt2");
        assertThat(a.tensors()).isEqualTo(t);
        // what fedbiot writes for the same adapter has the same values for every key it writes
        Path ours = dir.resolve("ours");
        PeftAdapter.write(ours, GPT2, spec, t, "gpt2");
        JsonNode peft = configJson();
        JsonNode mine = JSON.readTree(ours.resolve(PeftAdapter.CONFIG_FILE).toFile());
        mine.fieldNames().forEachRemaining(k -> assertThat(mine.get(k)).as(k).isEqualTo(peft.get(k)));
    }

    @Test
    void infersMissingTargetsFromTheNames() throws IOException {
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, lora(LLAMA, LoraSpec.DEFAULT, List.of(1)), null);
        editConfig(c -> c.putNull("target_modules"));
        assertThat(PeftAdapter.read(dir).lora().targets()).containsExactly("q_proj", "v_proj");
    }

    private void writeWeights(NamedTensors unprefixed) {
        NamedTensors.Builder b = NamedTensors.builder();
        unprefixed.asMap().forEach((n, v) -> b.add(PeftAdapter.PREFIX + n, v));
        SafetensorsWriter.write(dir.resolve(PeftAdapter.WEIGHTS_FILE), b.build(), Map.of("format", "pt"));
    }

    private void writeRawWeights(NamedTensors named) {
        SafetensorsWriter.write(dir.resolve(PeftAdapter.WEIGHTS_FILE), named, Map.of("format", "pt"));
    }

    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode c = (ObjectNode) configJson();
        edit.accept(c);
        Files.writeString(dir.resolve(PeftAdapter.CONFIG_FILE), c.toString());
    }

    private void assertReadFails(String... parts) {
        var t = assertThatThrownBy(() -> PeftAdapter.read(dir)).isInstanceOf(FedbiotException.class);
        for (String p : parts) {
            t.hasMessageContaining(p);
        }
    }

    @Test
    void rejectsOtherPeftTypesAndFeatures() throws IOException {
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, lora(LLAMA, LoraSpec.DEFAULT, List.of(1)), null);
        String good = Files.readString(dir.resolve(PeftAdapter.CONFIG_FILE));
        Object[][] cases = {
            {(Consumer<ObjectNode>) c -> c.put("peft_type", "PREFIX_TUNING"), "peft_type 'PREFIX_TUNING' is not supported"},
            {(Consumer<ObjectNode>) c -> c.put("peft_type", "ADALORA"), "peft_type 'ADALORA'"},
            {(Consumer<ObjectNode>) c -> c.remove("peft_type"), "peft_type is missing"},
            {(Consumer<ObjectNode>) c -> c.put("task_type", "SEQ_CLS"), "task_type 'SEQ_CLS' is not supported"},
            {(Consumer<ObjectNode>) c -> c.put("bias", "all"), "bias 'all' is not supported"},
            {(Consumer<ObjectNode>) c -> c.put("use_dora", true), "use_dora true is not supported"},
            {(Consumer<ObjectNode>) c -> c.put("use_rslora", true), "use_rslora true is not supported"},
            {(Consumer<ObjectNode>) c -> c.put("lora_bias", true), "lora_bias true is not supported"},
            {(Consumer<ObjectNode>) c -> c.putObject("rank_pattern").put("q_proj", 4), "rank_pattern"},
            {(Consumer<ObjectNode>) c -> c.putArray("modules_to_save").add("lm_head"), "modules_to_save"},
            {(Consumer<ObjectNode>) c -> c.put("target_modules", ".*proj"), "regular expression"},
            {(Consumer<ObjectNode>) c -> c.put("use_qalora", true), "use_qalora true is not supported"},
            {(Consumer<ObjectNode>) c -> c.putArray("target_parameters").add("experts.gate_up_proj"),
                "target_parameters"},
            {(Consumer<ObjectNode>) c -> c.putArray("trainable_token_indices").add(5), "trainable_token_indices"},
            {(Consumer<ObjectNode>) c -> c.putArray("alora_invocation_tokens").add(5), "alora_invocation_tokens"},
            {(Consumer<ObjectNode>) c -> c.put("r", 0), "'r' must be an integer > 0 (found 0)"},
            {(Consumer<ObjectNode>) c -> c.put("r", 4), "expected [4, in] for r = 4"},
            {(Consumer<ObjectNode>) c -> c.put("lora_alpha", "16"), "'lora_alpha' must be a number"},
            {(Consumer<ObjectNode>) c -> c.put("lora_dropout", 1.5), "lora.dropout"},
            {(Consumer<ObjectNode>) c -> c.putArray("target_modules").add("k_proj"),
                "module 'model.layers.1.self_attn.q_proj' is not among the target_modules [k_proj]"},
        };
        for (Object[] k : cases) {
            Files.writeString(dir.resolve(PeftAdapter.CONFIG_FILE), good);
            @SuppressWarnings("unchecked")
            Consumer<ObjectNode> edit = (Consumer<ObjectNode>) k[0];
            editConfig(edit);
            assertThatThrownBy(() -> PeftAdapter.read(dir)).as((String) k[1]).isInstanceOf(FedbiotException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining((String) k[1]);
        }
        Files.writeString(dir.resolve(PeftAdapter.CONFIG_FILE), "{\"peft_type\": ");
        assertReadFails("is not valid JSON");
    }

    @Test
    void rejectsMalformedTensorNames() throws IOException {
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, lora(LLAMA, LoraSpec.DEFAULT, List.of(1)), null);
        Tensor a = Tensor.zeros(8, 2048);
        Tensor b = Tensor.zeros(2048, 8);
        String q = "model.layers.1.self_attn.q_proj";

        writeRawWeights(NamedTensors.builder().add(q + ".lora_A.weight", a).add(q + ".lora_B.weight", b).build());
        assertReadFails("tensor '" + q + ".lora_A.weight' does not start with 'base_model.model.'");

        writeWeights(NamedTensors.builder().add(q + ".lora_A.default.weight", a).add(q + ".lora_B.default.weight", b)
                .build());
        assertReadFails("tensor 'base_model.model." + q + ".lora_A.default.weight' is not a LoRA weight",
                "adapter-name segment");

        writeWeights(NamedTensors.builder().add(q + ".weight", a).build());
        assertReadFails("'base_model.model." + q + ".weight' is not a LoRA weight");

        writeWeights(NamedTensors.builder().add(q + ".lora_A.weight", a).build());
        assertReadFails("'base_model.model." + q + ".lora_A.weight' has no partner 'base_model.model." + q
                + ".lora_B.weight'");

        writeWeights(NamedTensors.builder().add(q + ".lora_A.weight", Tensor.zeros(4, 2048))
                .add(q + ".lora_B.weight", b).build());
        assertReadFails("'base_model.model." + q + ".lora_A.weight' has shape [4, 2048], expected [8, in]");

        writeWeights(NamedTensors.builder().add(q + ".lora_A.weight", a).add(q + ".lora_B.weight", Tensor.zeros(2048))
                .build());
        assertReadFails("lora_B.weight' has shape [2048], expected [out, 8]");

        writeWeights(NamedTensors.empty());
        assertReadFails("holds no tensors");
    }

    @Test
    void readAgainstAModelChecksDimensions() throws IOException {
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, lora(LLAMA, LoraSpec.DEFAULT, List.of(3)), null);
        ModelSpec smaller = ModelSpec.llama(32000, 1024, 4, 16, 4, 2816, 2048, false);
        assertThatThrownBy(() -> PeftAdapter.read(dir, smaller)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("'model.layers.3.self_attn.q_proj.lora_A.weight' has shape [8, 2048], "
                        + "expected [8, 1024]");
        ModelSpec shallower = ModelSpec.llama(32000, 2048, 2, 32, 4, 5632, 2048, false);
        assertThatThrownBy(() -> PeftAdapter.read(dir, shallower)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("decoder layer in [0, 2)");
        assertThatThrownBy(() -> PeftAdapter.read(dir, GPT2)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("not the LoRA A or B of a target module [c_attn]");
    }

    @Test
    void writeRejectsBadInputWithoutWritingAnything() {
        Path out = dir.resolve("adapter");
        NamedTensors good = lora(LLAMA, LoraSpec.DEFAULT, List.of(1));
        NamedTensors beyond = NamedTensors.builder()
                .add("model.layers.4.self_attn.q_proj.lora_A.weight", Tensor.zeros(8, 2048))
                .add("model.layers.4.self_attn.q_proj.lora_B.weight", Tensor.zeros(2048, 8)).build();
        assertThatThrownBy(() -> PeftAdapter.write(out, LLAMA, LoraSpec.DEFAULT, beyond, null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("'model.layers.4.self_attn.q_proj.lora_A"
                        + ".weight' is not the LoRA A or B of a target module [q_proj, v_proj] of a decoder layer in "
                        + "[0, 4)");
        NamedTensors wrongShape = good.with(NamedTensors.builder()
                .add("model.layers.1.self_attn.v_proj.lora_B.weight", Tensor.zeros(2048, 8)).build());
        assertThatThrownBy(() -> PeftAdapter.write(out, LLAMA, LoraSpec.DEFAULT, wrongShape, null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("v_proj.lora_B.weight' has shape [2048, 8], "
                        + "expected [256, 8]");
        NamedTensors notTargeted = lora(LLAMA, new LoraSpec(8, 16, 0, List.of("o_proj")), List.of(1));
        assertThatThrownBy(() -> PeftAdapter.write(out, LLAMA, LoraSpec.DEFAULT, notTargeted, null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("o_proj");
        NamedTensors prefixed = NamedTensors.builder().add("base_model.model.model.layers.1.self_attn.q_proj.lora_A"
                + ".weight", Tensor.zeros(8, 2048)).add("base_model.model.model.layers.1.self_attn.q_proj.lora_B"
                + ".weight", Tensor.zeros(2048, 8)).build();
        assertThatThrownBy(() -> PeftAdapter.write(out, LLAMA, LoraSpec.DEFAULT, prefixed, null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("not the LoRA A or B");
        assertThatThrownBy(() -> PeftAdapter.write(out, LLAMA, LoraSpec.DEFAULT, NamedTensors.empty(), null))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("no LoRA tensors");
        assertThatThrownBy(() -> PeftAdapter.write(out, GPT2, new LoraSpec(8, 16, 0, List.of("o_proj")), good, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lora.targets");
        assertThat(out).doesNotExist();
    }

    @Test
    void readNamesMissingFiles() throws IOException {
        assertReadFails("no adapter_config.json in " + dir);
        PeftAdapter.write(dir, LLAMA, LoraSpec.DEFAULT, lora(LLAMA, LoraSpec.DEFAULT, List.of(1)), null);
        Files.delete(dir.resolve(PeftAdapter.WEIGHTS_FILE));
        Files.write(dir.resolve("adapter_model.bin"), new byte[] {1});
        assertReadFails("no adapter_model.safetensors in " + dir, "found adapter_model.bin");
    }
}
