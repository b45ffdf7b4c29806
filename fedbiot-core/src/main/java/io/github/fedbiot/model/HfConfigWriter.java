/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link ModelSpec} as a config.json tree that transformers 5 loads into the same model. Keys whose
 * transformers default differs from the spec (GPT-2's dropout 0.1, Mistral's sliding window 4096) are always
 * written.
 */
final class HfConfigWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfigWriter() {}

    static ObjectNode write(ModelSpec s) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", s.modelType());
        c.put("vocab_size", s.vocabSize());
        // none is written as null: an absent key would mean the family's default (LLaMA 1 and 2, GPT-2 50256)
        putTokenId(c, "bos_token_id", s.bosTokenId());
        putTokenId(c, "eos_token_id", s.eosTokenId());
        if (s.architecture() == Architecture.GPT2) {
            c.putArray("architectures").add("GPT2LMHeadModel");
            c.put("n_embd", s.hiddenSize());
            c.put("n_head", s.numHeads());
            c.put("n_layer", s.numLayers());
            c.put("n_inner", s.intermediateSize());
            c.put("n_positions", s.maxPositions());
            c.put("n_ctx", s.maxPositions());
            c.put("layer_norm_epsilon", s.normEps());
            c.put("activation_function", s.hiddenAct());
            c.put("tie_word_embeddings", true);
            for (String key : HfConfigReader.GPT2_DROPOUT_KEYS) {
                c.put(key, s.trainingDropout().getOrDefault(key, 0.0)); // absent would mean GPT2Config's 0.1
            }
            return c;
        }
        c.putArray("architectures").add(switch (s.modelType()) {
            case "qwen2" -> "Qwen2ForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            default -> "LlamaForCausalLM";
        });
        c.put("hidden_size", s.hiddenSize());
        c.put("num_attention_heads", s.numHeads());
        c.put("num_key_value_heads", s.numKvHeads());
        c.put("head_dim", s.headDim());
        c.put("num_hidden_layers", s.numLayers());
        c.put("intermediate_size", s.intermediateSize());
        c.put("max_position_embeddings", s.maxPositions());
        c.put("rms_norm_eps", s.normEps());
        c.put("rope_theta", s.ropeTheta());
        c.put("attention_bias", s.attentionBias());
        c.put("tie_word_embeddings", s.tieWordEmbeddings());
        c.put("hidden_act", s.hiddenAct());
        c.put("attention_dropout", s.trainingDropout().getOrDefault("attention_dropout", 0.0));
        c.put("torch_dtype", "float32");
        SlidingWindowConfig.write(c, s);
        if (s.ropeScaling() != null) {
            ObjectNode r = c.putObject("rope_scaling");
            r.put("rope_type", s.ropeScaling().type());
            r.put("factor", s.ropeScaling().factor());
            if (s.ropeScaling().type().equals("llama3")) {
                r.put("low_freq_factor", s.ropeScaling().lowFreqFactor());
                r.put("high_freq_factor", s.ropeScaling().highFreqFactor());
                r.put("original_max_position_embeddings", s.ropeScaling().originalMaxPositions());
            }
        }
        return c;
    }

    private static void putTokenId(ObjectNode c, String key, int id) {
        if (id >= 0) {
            c.put(key, id);
        } else {
            c.putNull(key);
        }
    }
}
