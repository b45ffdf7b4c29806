/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static io.github.fedbiot.model.ConfigValues.bool;
import static io.github.fedbiot.model.ConfigValues.dbl;
import static io.github.fedbiot.model.ConfigValues.integer;
import static io.github.fedbiot.model.ConfigValues.require;
import static io.github.fedbiot.model.ConfigValues.requireDivisible;
import static io.github.fedbiot.model.ConfigValues.text;
import static io.github.fedbiot.model.ConfigValues.tokenId;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.FedbiotException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a Hugging Face config.json tree into a {@link ModelSpec} the way transformers 5 reads it: the same
 * defaults for absent keys, and a {@link FedbiotException} naming the key for every value that would make
 * transformers compute something fedbiot does not (docs/djl-engine.md lists every key of the supported families
 * and what happens to it).
 */
final class HfConfigReader {
    /** GPT-2's dropout keys; GPT2Config defaults each to 0.1. */
    static final List<String> GPT2_DROPOUT_KEYS = List.of("attn_pdrop", "resid_pdrop", "embd_pdrop");

    private HfConfigReader() {}

    /** See {@link ModelSpec#parse}. */
    static ModelSpec parse(JsonNode c) {
        if (c == null || !c.isObject()) {
            throw new FedbiotException("config.json: expected a JSON object");
        }
        String type = text(c, "model_type", null);
        if (type == null) {
            throw new FedbiotException("config.json: missing 'model_type'");
        }
        Architecture arch;
        try {
            arch = Architecture.fromModelType(type);
        } catch (IllegalArgumentException e) {
            throw new FedbiotException("config.json: " + e.getMessage());
        }
        if (arch == Architecture.GPT2) {
            int d = integer(c, "n_embd", null);
            int h = integer(c, "n_head", null);
            requireDivisible(d, h, "n_embd", "n_head");
            // both change the attention scores; fedbiot runs GPT-2's default scaling by 1 / sqrt(head_dim)
            if (!bool(c, "scale_attn_weights", true) || bool(c, "scale_attn_by_inverse_layer_idx", false)) {
                throw new FedbiotException("config.json: scale_attn_weights false or scale_attn_by_inverse_layer_idx "
                        + "true is not supported for gpt2");
            }
            if (!bool(c, "tie_word_embeddings", true)) {
                throw new FedbiotException("config.json: tie_word_embeddings false is not supported for gpt2 "
                        + "(fedbiot's GPT-2 head is the token embedding)");
            }
            if (bool(c, "add_cross_attention", false)) {
                throw new FedbiotException("config.json: add_cross_attention true is not supported for gpt2");
            }
            int inner = integer(c, "n_inner", 4 * d);
            return new ModelSpec(arch, type, integer(c, "vocab_size", null), d, integer(c, "n_layer", null), h, h,
                    d / h, inner, integer(c, "n_positions", 1024), dbl(c, "layer_norm_epsilon", 1e-5), 0, null,
                    true, true, text(c, "activation_function", "gelu_new"), tokenId(c, "bos_token_id", 50256),
                    tokenId(c, "eos_token_id", 50256), null,
                    dropout(c, GPT2_DROPOUT_KEYS, 0.1)); // GPT2Config's defaults: 0.1 each
        }
        int d = integer(c, "hidden_size", null);
        int heads = integer(c, "num_attention_heads", null);
        // an absent key is the family's default (LlamaConfig None = heads, MistralConfig 8, Qwen2Config 32); an
        // explicit null is None, which every family's __post_init__ turns into num_attention_heads
        int kv = integer(c, "num_key_value_heads", !c.has("num_key_value_heads") ? switch (type) {
            case "mistral" -> 8;
            case "qwen2" -> 32;
            default -> heads;
        } : heads);
        boolean qwen2 = type.equals("qwen2");
        if (!c.hasNonNull("head_dim") && heads > 0) {
            requireDivisible(d, heads, "hidden_size", "num_attention_heads");
        }
        int headDim = integer(c, "head_dim", heads > 0 ? d / heads : 0);
        if (type.equals("mistral") && bool(c, "attention_bias", false)) {
            throw new FedbiotException("config.json: attention_bias true is not supported for mistral "
                    + "(transformers' MistralAttention has no biases and ignores the key)");
        }
        boolean bias = type.equals("qwen2") || bool(c, "attention_bias", false);
        if (bool(c, "rope_interleaved", false)) {
            throw new FedbiotException("config.json: rope_interleaved true is not supported (fedbiot and transformers "
                    + "rotate halves, not interleaved pairs)");
        }
        if (bool(c, "mlp_bias", false)) {
            throw new FedbiotException("config.json: mlp_bias true is not supported for " + type);
        }
        String act = text(c, "hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new FedbiotException("config.json: hidden_act '" + act + "' is not supported for " + type
                    + " (supported: silu)");
        }
        // transformers >= 5 writes rope_theta and the scaling together as 'rope_parameters'; 4.x wrote
        // 'rope_theta' and 'rope_scaling' (most Hub checkpoints). Read either.
        double theta;
        RopeScaling scaling;
        JsonNode params = c.get("rope_parameters");
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw new FedbiotException("config.json: 'rope_parameters' must be an object (found " + params + ")");
            }
            if (!params.has("rope_type") && !params.has("type") && !params.has("rope_theta")) {
                throw new FedbiotException("config.json: 'rope_parameters' per layer type " + params
                        + " is not supported");
            }
            theta = dbl(params, "rope_theta", dbl(c, "rope_theta", 10000.0)); // the dict wins, as in transformers
            requireFullRotary(params);
            scaling = ropeScaling(params, "rope_parameters", "default", c);
        } else {
            theta = dbl(c, "rope_theta", 10000.0);
            scaling = ropeScaling(c.get("rope_scaling"), "rope_scaling", null, c);
        }
        requireFullRotary(c);
        int layers = integer(c, "num_hidden_layers", null);
        SlidingWindow window = layers > 0 ? SlidingWindowConfig.read(c, type, layers) : null;
        return new ModelSpec(arch, type, integer(c, "vocab_size", null), d, layers,
                heads, kv, headDim, integer(c, "intermediate_size", null),
                integer(c, "max_position_embeddings", switch (type) {
                    case "mistral" -> 4096 * 32;
                    case "qwen2" -> 32768;
                    default -> 2048;
                }), dbl(c, "rms_norm_eps", 1e-6),
                theta, scaling, bias,
                bool(c, "tie_word_embeddings", false), act, tokenId(c, "bos_token_id", qwen2 ? -1 : 1),
                tokenId(c, "eos_token_id", qwen2 ? -1 : 2),
                window, dropout(c, List.of("attention_dropout"), 0.0));
    }

    /** Reads dropout probabilities (must be in [0, 1)) and keeps the non-zero ones. */
    private static Map<String, Double> dropout(JsonNode c, List<String> keys, double dflt) {
        Map<String, Double> out = new TreeMap<>();
        for (String key : keys) {
            double p = dbl(c, key, dflt);
            require(p >= 0 && p < 1, key, p);
            if (p > 0) {
                out.put(key, p);
            }
        }
        return out;
    }

    /**
     * Reads a RoPE scaling dict ({@code rope_scaling} of transformers 4, {@code rope_parameters} of 5); the keys
     * transformers requires for a type are required here too.
     */
    private static RopeScaling ropeScaling(JsonNode r, String key, String defaultType, JsonNode config) {
        if (r == null || r.isNull()) {
            return null;
        }
        if (!r.isObject()) {
            throw new FedbiotException("config.json: '" + key + "' must be an object or null (found " + r + ")");
        }
        String type = r.hasNonNull("rope_type") ? text(r, "rope_type", null) : text(r, "type", defaultType);
        if (type == null) {
            throw new FedbiotException("config.json: '" + key + "' needs a 'rope_type' (found " + r + ")");
        }
        if (type.equals("default")) {
            return null;
        }
        boolean llama3 = type.equals("llama3");
        for (String required : llama3 ? List.of("factor", "low_freq_factor", "high_freq_factor")
                : List.of("factor")) {
            if (!r.hasNonNull(required)) {
                throw new FedbiotException("config.json: '" + key + "' of type " + type + " needs '" + required
                        + "' (found " + r + ")");
            }
        }
        int originalMax = 8192; // only llama3 uses it
        if (llama3) {
            String omp = "original_max_position_embeddings";
            if (!r.hasNonNull(omp) && !config.hasNonNull(omp)) {
                throw new FedbiotException("config.json: '" + key + "' of type llama3 needs '" + omp + "' (found "
                        + r + ")");
            }
            originalMax = r.hasNonNull(omp) ? integer(r, omp, null) : integer(config, omp, null);
        }
        try {
            return new RopeScaling(type, dbl(r, "factor", 1.0), dbl(r, "low_freq_factor", 1.0),
                    dbl(r, "high_freq_factor", 4.0), originalMax);
        } catch (IllegalArgumentException e) {
            throw new FedbiotException("config.json: " + e.getMessage());
        }
    }

    private static void requireFullRotary(JsonNode c) {
        if (c.hasNonNull("partial_rotary_factor") && dbl(c, "partial_rotary_factor", 1.0) != 1.0) {
            throw new FedbiotException("config.json: partial_rotary_factor " + c.get("partial_rotary_factor")
                    + " is not supported (only 1.0)");
        }
    }
}
