/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses config.json files modelled on real Hugging Face checkpoints (in {@code configs/}). */
class ModelSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode config(String name) {
        try (InputStream in = ModelSpecTest.class.getResourceAsStream("configs/" + name + ".json")) {
            assertThat(in).as(name).isNotNull();
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ModelSpec spec(String name) {
        return ModelSpec.parse(config(name));
    }

    private static ObjectNode edited(String name, Consumer<ObjectNode> edit) {
        ObjectNode c = config(name);
        edit.accept(c);
        return c;
    }

    @Test
    void parsesLlama2() {
        ModelSpec s = spec("llama-2-7b");
        assertThat(s.architecture()).isEqualTo(Architecture.LLAMA);
        assertThat(s.numLayers()).isEqualTo(32);
        assertThat(s.numHeads()).isEqualTo(32);
        assertThat(s.numKvHeads()).isEqualTo(32);
        assertThat(s.headDim()).isEqualTo(128);
        assertThat(s.ropeTheta()).isEqualTo(10000.0); // transformers' default; the file has no rope_theta
        assertThat(s.ropeScaling()).isNull();
        assertThat(s.attentionBias()).isFalse();
        assertThat(s.tieWordEmbeddings()).isFalse();
        assertThat(s.normEps()).isEqualTo(1e-5);
        assertThat(s.bosTokenId()).isEqualTo(1);
        assertThat(s.eosTokenId()).isEqualTo(2);
    }

    @Test
    void llama2ParameterCountMatchesTheAlgorithmNotes() {
        ModelSpec s = spec("llama-2-7b");
        assertThat(s.parametersPerLayer()).isEqualTo(202_383_360L);
        assertThat(s.parameterCount()).isEqualTo(6_738_415_616L);
        // embedding + LM head (untied) + final RMSNorm + 32 layers
        assertThat(s.parameterCount()).isEqualTo(2L * 32000 * 4096 + 4096 + 32 * 202_383_360L);
    }

    @Test
    void parsesTinyLlamaWithGroupedQueryAttention() {
        ModelSpec s = spec("tinyllama-1.1b");
        assertThat(s.numLayers()).isEqualTo(22);
        assertThat(s.numKvHeads()).isEqualTo(4);
        assertThat(s.headDim()).isEqualTo(64);
        assertThat(s.parameterCount()).isEqualTo(1_100_048_384L);
    }

    @Test
    void parsesLlama31WithLlama3RopeScalingAndSeveralEosIds() {
        ModelSpec s = spec("llama-3.1-8b-instruct");
        assertThat(s.ropeScaling()).isEqualTo(new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192));
        assertThat(s.ropeTheta()).isEqualTo(500000.0);
        assertThat(s.maxPositions()).isEqualTo(131072);
        assertThat(s.eosTokenId()).isEqualTo(128001); // the first of [128001, 128008, 128009]
        assertThat(s.bosTokenId()).isEqualTo(128000);
        assertThat(s.numKvHeads()).isEqualTo(8);
        assertThat(s.parameterCount()).isEqualTo(8_030_261_248L);
    }

    @Test
    void parsesQwen2WithAttentionBiasAndTiedEmbeddings() {
        ModelSpec s = spec("qwen2.5-0.5b");
        assertThat(s.modelType()).isEqualTo("qwen2");
        assertThat(s.attentionBias()).isTrue(); // not in the file: Qwen2 always has q/k/v biases
        assertThat(s.tieWordEmbeddings()).isTrue();
        assertThat(s.ropeTheta()).isEqualTo(1_000_000.0);
        assertThat(s.normEps()).isEqualTo(1e-6);
        assertThat(s.headDim()).isEqualTo(64);
        // biases on q (896) and k, v (128 each), none on o
        long perLayer = 896L * 896 * 2 + 2L * 896 * 128 + 896 + 2 * 128 + 3L * 896 * 4864 + 2 * 896;
        assertThat(s.parametersPerLayer()).isEqualTo(perLayer);
        assertThat(s.parameterCount()).isEqualTo(494_032_768L);
    }

    @Test
    void parsesSmolLm2WithIntegerRopeTheta() {
        ModelSpec s = spec("smollm2-135m");
        assertThat(s.architecture()).isEqualTo(Architecture.LLAMA);
        assertThat(s.numHeads()).isEqualTo(9);
        assertThat(s.numKvHeads()).isEqualTo(3);
        assertThat(s.headDim()).isEqualTo(64);
        assertThat(s.ropeTheta()).isEqualTo(100000.0);
        assertThat(s.tieWordEmbeddings()).isTrue();
        assertThat(s.bosTokenId()).isZero();
        assertThat(s.parameterCount()).isEqualTo(134_515_008L);
    }

    @Test
    void parsesGpt2() {
        ModelSpec s = spec("gpt2");
        assertThat(s.architecture()).isEqualTo(Architecture.GPT2);
        assertThat(s.hiddenSize()).isEqualTo(768);
        assertThat(s.intermediateSize()).isEqualTo(3072); // n_inner null means 4 * n_embd
        assertThat(s.headDim()).isEqualTo(64);
        assertThat(s.maxPositions()).isEqualTo(1024);
        assertThat(s.attentionBias()).isTrue();
        assertThat(s.tieWordEmbeddings()).isTrue();
        assertThat(s.hiddenAct()).isEqualTo("gelu_new");
        assertThat(s.eosTokenId()).isEqualTo(50256);
        assertThat(s.parameterCount()).isEqualTo(124_439_808L);
    }

    /** Absent keys take the default of the family's transformers config class, which differ between families. */
    @Test
    void absentKeysGetTheFamilysTransformersDefaults() {
        Consumer<ObjectNode> strip = c -> {
            c.remove("num_key_value_heads");
            c.remove("max_position_embeddings");
            c.remove("bos_token_id");
            c.remove("eos_token_id");
        };
        ModelSpec mistral = ModelSpec.parse(edited("mistral-7b-v0.1", strip));
        assertThat(mistral.numKvHeads()).isEqualTo(8);
        assertThat(mistral.maxPositions()).isEqualTo(131072);
        assertThat(mistral.eosTokenId()).isEqualTo(2);
        ModelSpec qwen = ModelSpec.parse(edited("qwen2-7b-instruct", c -> {
            strip.accept(c);
            c.put("num_attention_heads", 32).put("hidden_size", 4096);
        }));
        assertThat(qwen.numKvHeads()).isEqualTo(32);
        assertThat(qwen.maxPositions()).isEqualTo(32768);
        assertThat(qwen.bosTokenId()).isEqualTo(-1);
        ModelSpec llama = ModelSpec.parse(edited("tinyllama-1.1b", strip));
        assertThat(llama.numKvHeads()).isEqualTo(32);
        assertThat(llama.maxPositions()).isEqualTo(2048);
        assertThat(llama.bosTokenId()).isEqualTo(1);
        ModelSpec gpt2 = ModelSpec.parse(edited("gpt2", c -> c.remove("eos_token_id")));
        assertThat(gpt2.eosTokenId()).isEqualTo(50256);
        ModelSpec nulls = ModelSpec.parse(edited("mistral-7b-v0.1", c -> c.putNull("num_key_value_heads")
                .putNull("eos_token_id")));
        assertThat(nulls.numKvHeads()).isEqualTo(32); // None: __post_init__ uses num_attention_heads
        assertThat(nulls.eosTokenId()).isEqualTo(-1);
        assertThat(ModelSpec.parse(nulls.toConfigJson())).isEqualTo(nulls);
    }

    @Test
    void parsesMistralNemoWhoseHeadDimIsNotHiddenOverHeads() {
        ModelSpec s = spec("mistral-nemo-base-2407");
        assertThat(s.headDim()).isEqualTo(128); // not 5120 / 32 = 160: q_proj is [32 * 128, 5120]
        assertThat(s.slidingWindow()).isNull();
        assertThat(s.attentionBias()).isFalse();
        long d = 5120;
        long q = 32 * 128;
        long kv = 8 * 128;
        assertThat(s.parametersPerLayer()).isEqualTo(d * q + 2 * d * kv + q * d + 3 * d * 14336 + 2 * d);
    }

    /** GPT-2's real config asks for dropout 0.1 in training (GPT2Config's defaults too): recorded, not ignored. */
    @Test
    void recordsTrainingDropout() {
        ModelSpec gpt2 = spec("gpt2");
        assertThat(gpt2.trainingDropout()).containsOnly(java.util.Map.entry("attn_pdrop", 0.1),
                java.util.Map.entry("embd_pdrop", 0.1), java.util.Map.entry("resid_pdrop", 0.1));
        ModelSpec absent = ModelSpec.parse(edited("gpt2", c -> {
            c.remove("attn_pdrop");
            c.put("resid_pdrop", 0.0);
            c.put("embd_pdrop", 0.0);
        }));
        assertThat(absent.trainingDropout()).containsOnlyKeys("attn_pdrop"); // absent = GPT2Config's 0.1
        ModelSpec none = ModelSpec.parse(edited("gpt2", c -> {
            c.put("attn_pdrop", 0.0);
            c.put("resid_pdrop", 0.0);
            c.put("embd_pdrop", 0);
        }));
        assertThat(none.trainingDropout()).isEmpty();
        ModelSpec llama = ModelSpec.parse(edited("llama-3.1-8b-instruct", c -> c.put("attention_dropout", 0.1)));
        assertThat(llama.trainingDropout()).containsOnly(java.util.Map.entry("attention_dropout", 0.1));
        assertThat(spec("llama-3.1-8b-instruct").trainingDropout()).isEmpty();
        assertThat(spec("tinyllama-1.1b").trainingDropout()).isEmpty(); // LlamaConfig's default is 0.0
    }

    @Test
    void llamaAttentionBiasAlsoBiasesTheOutputProjection() {
        ModelSpec plain = spec("tinyllama-1.1b");
        ModelSpec biased = ModelSpec.parse(edited("tinyllama-1.1b", c -> c.put("attention_bias", true)));
        assertThat(biased.attentionBias()).isTrue();
        assertThat(biased.parametersPerLayer() - plain.parametersPerLayer()).isEqualTo(2048 + 2 * 256 + 2048);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tinyllama-1.1b", "llama-2-7b", "llama-3.1-8b-instruct", "qwen2.5-0.5b", "smollm2-135m",
        "gpt2", "llama-transformers5", "qwen2-transformers5", "mistral-7b-v0.1", "mistral-7b-instruct-v0.3",
        "mistral-nemo-base-2407", "qwen2-7b-instruct"})
    void toConfigJsonRoundTrips(String name) {
        ModelSpec s = spec(name);
        ObjectNode json = s.toConfigJson();
        assertThat(ModelSpec.parse(json)).isEqualTo(s);
        assertThat(json.get("model_type").asText()).isEqualTo(s.modelType());
        assertThat(json.get("architectures").get(0).asText()).isEqualTo(config(name).get("architectures").get(0)
                .asText());
    }

    @Test
    void toConfigJsonUsesHuggingFaceKeys() {
        ObjectNode json = spec("llama-3.1-8b-instruct").toConfigJson();
        assertThat(json.get("num_key_value_heads").asInt()).isEqualTo(8);
        assertThat(json.get("rope_scaling").get("rope_type").asText()).isEqualTo("llama3");
        assertThat(json.get("rope_scaling").get("original_max_position_embeddings").asInt()).isEqualTo(8192);
        ObjectNode gpt2 = spec("gpt2").toConfigJson();
        assertThat(gpt2.get("n_embd").asInt()).isEqualTo(768);
        assertThat(gpt2.get("n_inner").asInt()).isEqualTo(3072);
        ModelSpec mistral = ModelSpec.parse(edited("llama-2-7b", c -> c.put("model_type", "mistral")));
        assertThat(mistral.toConfigJson().get("architectures").get(0).asText()).isEqualTo("MistralForCausalLM");
    }

    @Test
    void linearAndDynamicScalingRoundTrip() {
        for (String type : new String[] {"linear", "dynamic"}) {
            ObjectNode c = edited("tinyllama-1.1b", n -> n.putObject("rope_scaling").put("type", type)
                    .put("factor", 2.0));
            ModelSpec s = ModelSpec.parse(c);
            assertThat(s.ropeScaling().type()).isEqualTo(type);
            assertThat(s.ropeScaling().factor()).isEqualTo(2.0);
            assertThat(ModelSpec.parse(s.toConfigJson())).isEqualTo(s);
        }
        ModelSpec none = ModelSpec.parse(edited("tinyllama-1.1b", n -> n.putObject("rope_scaling")
                .put("rope_type", "default")));
        assertThat(none.ropeScaling()).isNull();
    }

    /** transformers 5 writes rope_theta and the scaling into one 'rope_parameters' dict. */
    @Test
    void readsTransformers5RopeParameters() {
        ModelSpec llama = spec("llama-transformers5");
        assertThat(llama.ropeScaling()).isEqualTo(new RopeScaling("llama3", 8.0, 1.0, 4.0, 32));
        assertThat(llama.ropeTheta()).isEqualTo(10000.0);
        assertThat(llama.headDim()).isEqualTo(16);
        ModelSpec qwen = spec("qwen2-transformers5");
        assertThat(qwen.ropeTheta()).isEqualTo(1_000_000.0); // not the 10000 default: it is inside the dict
        assertThat(qwen.ropeScaling()).isNull();
        assertThat(qwen.attentionBias()).isTrue();
        // the transformers-4 form of the same model is the same spec
        assertThat(ModelSpec.parse(qwen.toConfigJson())).isEqualTo(qwen);
        assertThat(ModelSpec.parse(llama.toConfigJson())).isEqualTo(llama);
        assertThat(llama.toConfigJson().get("rope_scaling").get("original_max_position_embeddings").asInt())
                .isEqualTo(32);
    }

    @Test
    void ropeParametersWinOverTopLevelThetaAndDefaultToTheDefaultType() {
        ModelSpec s = ModelSpec.parse(edited("qwen2-transformers5", c -> {
            c.put("rope_theta", 5.0);
            ((ObjectNode) c.get("rope_parameters")).remove("rope_type");
        }));
        assertThat(s.ropeTheta()).isEqualTo(1_000_000.0);
        assertThat(s.ropeScaling()).isNull();
        ModelSpec topLevel = ModelSpec.parse(edited("qwen2-transformers5", c -> {
            c.put("rope_theta", 5.0);
            ((ObjectNode) c.get("rope_parameters")).remove("rope_theta");
        }));
        assertThat(topLevel.ropeTheta()).isEqualTo(5.0);
    }

    @Test
    void rejectsRopeParametersFedbiotCannotRun() {
        ObjectNode perLayer = edited("qwen2-transformers5", c -> {
            ObjectNode p = c.putObject("rope_parameters");
            p.putObject("full_attention").put("rope_type", "default").put("rope_theta", 1e6);
            p.putObject("sliding_attention").put("rope_type", "default").put("rope_theta", 1e4);
        });
        assertThatThrownBy(() -> ModelSpec.parse(perLayer)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("'rope_parameters' per layer type");
        ObjectNode partial = edited("qwen2-transformers5", c -> ((ObjectNode) c.get("rope_parameters"))
                .put("partial_rotary_factor", 0.25));
        assertThatThrownBy(() -> ModelSpec.parse(partial)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("partial_rotary_factor 0.25 is not supported");
        ObjectNode yarn = edited("qwen2-transformers5", c -> ((ObjectNode) c.get("rope_parameters"))
                .put("rope_type", "yarn").put("factor", 4.0));
        assertThatThrownBy(() -> ModelSpec.parse(yarn)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("'yarn' is not supported");
        ObjectNode notObject = edited("qwen2-transformers5", c -> c.put("rope_parameters", 3));
        assertThatThrownBy(() -> ModelSpec.parse(notObject)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("'rope_parameters' must be an object");
    }

    @Test
    void readsAModelDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), config("qwen2.5-0.5b").toString());
        assertThat(ModelSpec.read(dir)).isEqualTo(spec("qwen2.5-0.5b"));
    }

    @Test
    void readNamesTheFileOnErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ModelSpec.read(dir)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("no config.json in " + dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\",");
        assertThatThrownBy(() -> ModelSpec.read(dir)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining(dir.resolve("config.json") + " is not valid JSON");
        ObjectNode c = config("llama-2-7b");
        c.remove("hidden_size");
        Files.writeString(dir.resolve("config.json"), c.toString());
        assertThatThrownBy(() -> ModelSpec.read(dir)).isInstanceOf(FedbiotException.class)
                .hasMessage(dir.resolve("config.json") + ": missing 'hidden_size'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"model_type", "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
        "intermediate_size"})
    void missingRequiredKeyIsNamed(String key) {
        ObjectNode c = edited("tinyllama-1.1b", n -> n.remove(key));
        assertThatThrownBy(() -> ModelSpec.parse(c)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("missing '" + key + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"n_embd", "n_head", "n_layer", "vocab_size"})
    void missingGpt2KeyIsNamed(String key) {
        ObjectNode c = edited("gpt2", n -> n.remove(key));
        assertThatThrownBy(() -> ModelSpec.parse(c)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("missing '" + key + "'");
    }

    @Test
    void invalidValuesAreNamed() {
        assertInvalid(c -> c.put("hidden_size", "2048"), "'hidden_size' must be an integer (found \"2048\")");
        assertInvalid(c -> c.put("hidden_size", 2048.5), "'hidden_size' must be an integer (found 2048.5)");
        assertInvalid(c -> c.put("num_hidden_layers", 0), "invalid 'num_hidden_layers' (found 0)");
        assertInvalid(c -> c.put("vocab_size", -5), "invalid 'vocab_size' (found -5)");
        assertInvalid(c -> c.put("num_key_value_heads", 5), "invalid 'num_key_value_heads' (found 5)");
        assertInvalid(c -> c.put("num_attention_heads", 30),
                "'hidden_size' (2048) is not divisible by 'num_attention_heads' (30)");
        assertInvalid(c -> c.put("head_dim", 63), "head_dim must be even");
        assertInvalid(c -> c.put("rms_norm_eps", "small"), "'rms_norm_eps' must be a number");
        assertInvalid(c -> c.put("rms_norm_eps", 0.0), "invalid 'norm eps' (found 0.0)");
        assertInvalid(c -> c.put("rope_theta", -1.0), "invalid 'rope_theta' (found -1.0)");
        assertInvalid(c -> c.put("tie_word_embeddings", "yes"), "'tie_word_embeddings' must be true or false");
        assertInvalid(c -> c.put("attention_bias", 1), "'attention_bias' must be true or false");
        assertInvalid(c -> c.put("mlp_bias", true), "mlp_bias true is not supported");
        assertInvalid(c -> c.put("hidden_act", "gelu"), "hidden_act 'gelu' is not supported for llama");
        assertInvalid(c -> c.put("model_type", "falcon"), "unsupported model_type 'falcon'");
        assertInvalid(c -> c.put("model_type", 7), "'model_type' must be a string");
        assertInvalid(c -> c.put("eos_token_id", -2), "'eos_token_id' must be a token id");
        assertInvalid(c -> c.putArray("eos_token_id").add("x"), "'eos_token_id' must be a token id");
        assertInvalid(c -> c.putArray("vocab_size").add(32000), "'vocab_size' must be an integer");
        assertInvalid(c -> c.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0),
                "rope_scaling.rope_type 'yarn' is not supported");
        assertInvalid(c -> c.putObject("rope_scaling").put("factor", 4.0), "'rope_scaling' needs a 'rope_type'");
        assertInvalid(c -> c.putObject("rope_scaling").put("rope_type", "linear").put("factor", 0.0),
                "rope_scaling.factor must be a finite number > 0 (found 0.0)");
        assertInvalid(c -> c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0)
                .put("low_freq_factor", 4.0).put("high_freq_factor", 1.0).put("original_max_position_embeddings", 8192),
                "low_freq_factor < high_freq_factor");
        assertInvalid(c -> c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0)
                .put("low_freq_factor", 1.0).put("high_freq_factor", 4.0),
                "'rope_scaling' of type llama3 needs 'original_max_position_embeddings'");
        assertInvalid(c -> c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0),
                "'rope_scaling' of type llama3 needs 'low_freq_factor'");
        assertInvalid(c -> c.putObject("rope_scaling").put("rope_type", "linear"),
                "'rope_scaling' of type linear needs 'factor'");
        assertInvalid(c -> c.put("partial_rotary_factor", 0.5), "partial_rotary_factor 0.5 is not supported");
        assertInvalid(c -> c.put("rope_scaling", "llama3"), "'rope_scaling' must be an object or null");
        assertInvalid(c -> c.put("rope_interleaved", true), "rope_interleaved true is not supported");
        assertInvalid(c -> c.put("attention_dropout", 1.0), "invalid 'attention_dropout' (found 1.0)");
        assertInvalid(c -> c.put("attention_dropout", -0.1), "invalid 'attention_dropout' (found -0.1)");
    }

    /** Keys that would make transformers compute something fedbiot does not are refused, naming the key. */
    @Test
    void refusesKeysThatChangeTheModel() {
        assertRefused("mistral-7b-v0.1", c -> c.put("attention_bias", true),
                "config.json: attention_bias true is not supported for mistral (transformers' MistralAttention has "
                        + "no biases and ignores the key)");
        assertRefused("mistral-7b-v0.1", c -> c.put("mlp_bias", true),
                "config.json: mlp_bias true is not supported for mistral");
        assertRefused("gpt2", c -> c.put("tie_word_embeddings", false),
                "config.json: tie_word_embeddings false is not supported for gpt2");
        assertRefused("gpt2", c -> c.put("add_cross_attention", true),
                "config.json: add_cross_attention true is not supported for gpt2");
        assertRefused("gpt2", c -> c.put("resid_pdrop", 1.5), "config.json: invalid 'resid_pdrop' (found 1.5)");
        assertRefused("smollm2-135m", c -> c.put("rope_interleaved", true),
                "config.json: rope_interleaved true is not supported");
        assertRefused("mistral-7b-v0.1", c -> c.put("sliding_window", 0),
                "config.json: invalid 'sliding_window' (found 0)");
        assertRefused("mistral-7b-v0.1", c -> c.put("sliding_window", "4k"),
                "config.json: 'sliding_window' must be an integer");
        assertRefused("mistral-7b-v0.1", c -> {
            var types = c.putArray("layer_types");
            for (int i = 0; i < 32; i++) {
                types.add(i % 2 == 0 ? "sliding_attention" : "full_attention");
            }
        }, "config.json: 'layer_types' [sliding_attention, full_attention, ");
        assertRefused("qwen2-7b-instruct", c -> c.put("use_sliding_window", true).putArray("layer_types")
                .add("full_attention"), "config.json: 'layer_types' has 1 entries but 'num_hidden_layers' is 28");
        assertRefused("qwen2-transformers5", c -> c.putArray("layer_types").add("full_attention")
                .add("chunked_attention"), "config.json: 'layer_types' entry \"chunked_attention\" is not supported for "
                        + "qwen2 (supported: full_attention, sliding_attention)");
        assertRefused("qwen2-transformers5", c -> c.putArray("layer_types").add("full_attention")
                .add("sliding_attention"), "config.json: 'layer_types' names sliding_attention layers [1] but there "
                        + "is no window ('use_sliding_window' false or 'sliding_window' null)");
        assertRefused("qwen2-transformers5", c -> c.put("layer_types", "sliding"),
                "config.json: 'layer_types' must be a list");
    }

    private static void assertRefused(String name, Consumer<ObjectNode> edit, String message) {
        ObjectNode c = edited(name, edit);
        assertThatThrownBy(() -> ModelSpec.parse(c)).as(message).isInstanceOf(FedbiotException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void invalidGpt2ValuesAreNamed() {
        ObjectNode c = edited("gpt2", n -> n.put("n_head", 7));
        assertThatThrownBy(() -> ModelSpec.parse(c)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("'n_embd' (768) is not divisible by 'n_head' (7)");
        for (Consumer<ObjectNode> edit : List.<Consumer<ObjectNode>>of(n -> n.put("scale_attn_weights", false),
                n -> n.put("scale_attn_by_inverse_layer_idx", true))) {
            ObjectNode e = edited("gpt2", edit);
            assertThatThrownBy(() -> ModelSpec.parse(e)).isInstanceOf(FedbiotException.class)
                    .hasMessageContaining("is not supported for gpt2");
        }
        ObjectNode d = edited("gpt2", n -> n.put("n_inner", "big"));
        assertThatThrownBy(() -> ModelSpec.parse(d)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("'n_inner' must be an integer");
    }

    @Test
    void rejectsNonObjects() throws IOException {
        JsonNode array = JSON.readTree("[1, 2]");
        assertThatThrownBy(() -> ModelSpec.parse(array)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("expected a JSON object");
    }

    @Test
    void llamaFactoryBuildsAValidSpec() {
        ModelSpec s = ModelSpec.llama(256, 64, 4, 4, 2, 128, 128, true);
        assertThat(s.headDim()).isEqualTo(16);
        assertThat(ModelSpec.parse(s.toConfigJson())).isEqualTo(s);
        assertThat(s.parameterCount()).isEqualTo(256L * 64 + 64 + 4 * s.parametersPerLayer());
    }

    private static void assertInvalid(Consumer<ObjectNode> edit, String message) {
        ObjectNode c = edited("tinyllama-1.1b", edit);
        assertThatThrownBy(() -> ModelSpec.parse(c)).as(message).isInstanceOf(FedbiotException.class)
                .hasMessageContaining(message);
    }
}
