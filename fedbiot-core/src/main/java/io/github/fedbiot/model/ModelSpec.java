/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The shape of a decoder-only transformer, as read from a Hugging Face {@code config.json}.
 *
 * @param architecture the family
 * @param modelType the {@code model_type} string (llama, qwen2, mistral, gpt2)
 * @param vocabSize the vocabulary size
 * @param hiddenSize the model width d
 * @param numLayers the number of decoder layers N
 * @param numHeads the number of attention heads
 * @param numKvHeads the number of key/value heads (grouped-query attention; equals numHeads for MHA)
 * @param headDim the per-head dimension
 * @param intermediateSize the MLP width
 * @param maxPositions the maximal sequence length
 * @param normEps epsilon of RMSNorm / LayerNorm
 * @param ropeTheta the RoPE base (LLaMA family)
 * @param ropeScaling RoPE scaling, or null
 * @param attentionBias whether q/k/v projections have a bias (Qwen2: true)
 * @param tieWordEmbeddings whether the LM head shares the token embedding
 * @param hiddenAct the MLP activation name (silu, gelu_new, ...)
 * @param bosTokenId the BOS token id, or -1
 * @param eosTokenId the EOS token id, or -1
 */
public record ModelSpec(Architecture architecture, String modelType, int vocabSize, int hiddenSize,
        int numLayers, int numHeads, int numKvHeads, int headDim, int intermediateSize, int maxPositions,
        double normEps, double ropeTheta, RopeScaling ropeScaling, boolean attentionBias,
        boolean tieWordEmbeddings, String hiddenAct, int bosTokenId, int eosTokenId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates dimensions. */
    public ModelSpec {
        require(vocabSize > 0, "vocab_size", vocabSize);
        require(hiddenSize > 0, "hidden_size", hiddenSize);
        require(numLayers > 0, "num_hidden_layers", numLayers);
        require(numHeads > 0, "num_attention_heads", numHeads);
        require(numKvHeads > 0 && numHeads % numKvHeads == 0, "num_key_value_heads", numKvHeads);
        require(headDim > 0, "head_dim", headDim);
        require(intermediateSize > 0, "intermediate_size", intermediateSize);
        require(maxPositions > 0, "max_position_embeddings", maxPositions);
        require(normEps > 0 && Double.isFinite(normEps), "norm eps", normEps);
        if (architecture == null || modelType == null || hiddenAct == null) {
            throw new FedbiotException("config.json: architecture, model_type and hidden_act are required (found "
                    + architecture + ", " + modelType + ", " + hiddenAct + ")");
        }
        if (architecture == Architecture.LLAMA && headDim % 2 != 0) {
            throw new FedbiotException("config.json: head_dim must be even for rotary embeddings (found "
                    + headDim + ")");
        }
        if (architecture == Architecture.LLAMA) {
            require(ropeTheta > 0 && Double.isFinite(ropeTheta), "rope_theta", ropeTheta);
        }
    }

    /**
     * Builds a LLaMA-family spec (for models the project creates itself, e.g. for pretraining or tests).
     *
     * @param vocab vocabulary size
     * @param hidden model width
     * @param layers decoder layers
     * @param heads attention heads
     * @param kvHeads key/value heads
     * @param intermediate MLP width
     * @param maxPositions context length
     * @param tie whether the LM head is tied to the embedding
     * @return the spec, with theta 10000, eps 1e-5, BOS 1, EOS 2
     */
    public static ModelSpec llama(int vocab, int hidden, int layers, int heads, int kvHeads, int intermediate,
            int maxPositions, boolean tie) {
        return new ModelSpec(Architecture.LLAMA, "llama", vocab, hidden, layers, heads, kvHeads, hidden / heads,
                intermediate, maxPositions, 1e-5, 10000.0, null, false, tie, "silu", 1, 2);
    }

    /**
     * Returns the number of parameters of one decoder layer (weights and biases), as transformers builds it.
     * With {@code attentionBias}, Qwen2 has biases on q, k and v; LLaMA's {@code attention_bias} also adds
     * one to {@code o_proj}.
     *
     * @return the count
     */
    public long parametersPerLayer() {
        long d = hiddenSize;
        long q = (long) numHeads * headDim;
        long kv = (long) numKvHeads * headDim;
        if (architecture == Architecture.GPT2) {
            return 2 * 2 * d + d * 3 * d + 3 * d + d * d + d + d * intermediateSize + intermediateSize
                    + intermediateSize * d + d;
        }
        long bias = attentionBias ? q + 2 * kv : 0;
        if (outputProjectionBias()) {
            bias += d;
        }
        long attn = d * q + 2 * d * kv + q * d + bias;
        long mlp = 3 * d * intermediateSize;
        return attn + mlp + 2 * d;
    }

    /**
     * Returns whether the attention output projection {@code o_proj} has a bias: LLaMA-family models with
     * {@code attention_bias} (transformers gives o_proj the same bias setting as q, k and v), but not Qwen2,
     * whose q/k/v biases come without one on o_proj.
     *
     * @return true if {@code self_attn.o_proj.bias} is a weight of every layer
     */
    public boolean outputProjectionBias() {
        return architecture == Architecture.LLAMA && attentionBias && !modelType.equals("qwen2");
    }

    /** Returns the total number of parameters. @return the count */
    public long parameterCount() {
        long emb = (long) vocabSize * hiddenSize;
        long head = tieWordEmbeddings ? 0 : emb;
        long pos = architecture == Architecture.GPT2 ? (long) maxPositions * hiddenSize : 0;
        long finalNorm = architecture == Architecture.GPT2 ? 2L * hiddenSize : hiddenSize;
        return emb + head + pos + finalNorm + numLayers * parametersPerLayer();
    }

    /**
     * Reads {@code config.json} from a Hugging Face model directory.
     *
     * @param modelDir the directory holding config.json
     * @return the spec
     * @throws FedbiotException if the file is missing, malformed or describes an unsupported model
     */
    public static ModelSpec read(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new FedbiotException("no config.json in " + modelDir);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new FedbiotException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FedbiotException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return parse(tree);
        } catch (FedbiotException e) {
            throw new FedbiotException(e.getMessage().replaceFirst("^config\\.json", Matcher.quoteReplacement(file.toString())), e);
        }
    }

    /**
     * Parses a Hugging Face config.json tree. Keys that transformers defaults are defaulted the same way
     * (e.g. {@code num_key_value_heads} to {@code num_attention_heads}, {@code head_dim} to
     * {@code hidden_size / num_attention_heads}); Qwen2 always has q/k/v biases, as transformers builds it.
     *
     * @param c the JSON tree
     * @return the spec
     * @throws FedbiotException naming the key if one is missing, has the wrong type or an invalid value, or
     *     describes a model fedbiot does not run
     */
    public static ModelSpec parse(JsonNode c) {
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
            int inner = integer(c, "n_inner", 4 * d);
            return new ModelSpec(arch, type, integer(c, "vocab_size", null), d, integer(c, "n_layer", null), h, h,
                    d / h, inner, integer(c, "n_positions", 1024), dbl(c, "layer_norm_epsilon", 1e-5), 0, null,
                    true, true, text(c, "activation_function", "gelu_new"), tokenId(c, "bos_token_id"),
                    tokenId(c, "eos_token_id"));
        }
        int d = integer(c, "hidden_size", null);
        int heads = integer(c, "num_attention_heads", null);
        int kv = integer(c, "num_key_value_heads", heads);
        if (!c.hasNonNull("head_dim") && heads > 0) {
            requireDivisible(d, heads, "hidden_size", "num_attention_heads");
        }
        int headDim = integer(c, "head_dim", heads > 0 ? d / heads : 0);
        boolean bias = type.equals("qwen2") || bool(c, "attention_bias", false);
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
        return new ModelSpec(arch, type, integer(c, "vocab_size", null), d, integer(c, "num_hidden_layers", null),
                heads, kv, headDim, integer(c, "intermediate_size", null),
                integer(c, "max_position_embeddings", 2048), dbl(c, "rms_norm_eps", 1e-6),
                theta, scaling, bias,
                bool(c, "tie_word_embeddings", false), act, tokenId(c, "bos_token_id"), tokenId(c, "eos_token_id"));
    }

    /**
     * Returns this spec as a Hugging Face config.json tree that transformers loads.
     *
     * @return the JSON tree
     */
    public ObjectNode toConfigJson() {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", modelType);
        c.put("vocab_size", vocabSize);
        if (bosTokenId >= 0) {
            c.put("bos_token_id", bosTokenId);
        }
        if (eosTokenId >= 0) {
            c.put("eos_token_id", eosTokenId);
        }
        if (architecture == Architecture.GPT2) {
            c.putArray("architectures").add("GPT2LMHeadModel");
            c.put("n_embd", hiddenSize);
            c.put("n_head", numHeads);
            c.put("n_layer", numLayers);
            c.put("n_inner", intermediateSize);
            c.put("n_positions", maxPositions);
            c.put("n_ctx", maxPositions);
            c.put("layer_norm_epsilon", normEps);
            c.put("activation_function", hiddenAct);
            c.put("tie_word_embeddings", true);
            return c;
        }
        c.putArray("architectures").add(switch (modelType) {
            case "qwen2" -> "Qwen2ForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            default -> "LlamaForCausalLM";
        });
        c.put("hidden_size", hiddenSize);
        c.put("num_attention_heads", numHeads);
        c.put("num_key_value_heads", numKvHeads);
        c.put("head_dim", headDim);
        c.put("num_hidden_layers", numLayers);
        c.put("intermediate_size", intermediateSize);
        c.put("max_position_embeddings", maxPositions);
        c.put("rms_norm_eps", normEps);
        c.put("rope_theta", ropeTheta);
        c.put("attention_bias", attentionBias);
        c.put("tie_word_embeddings", tieWordEmbeddings);
        c.put("hidden_act", hiddenAct);
        c.put("torch_dtype", "float32");
        if (ropeScaling != null) {
            ObjectNode r = c.putObject("rope_scaling");
            r.put("rope_type", ropeScaling.type());
            r.put("factor", ropeScaling.factor());
            if (ropeScaling.type().equals("llama3")) {
                r.put("low_freq_factor", ropeScaling.lowFreqFactor());
                r.put("high_freq_factor", ropeScaling.highFreqFactor());
                r.put("original_max_position_embeddings", ropeScaling.originalMaxPositions());
            }
        }
        return c;
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

    private static String text(JsonNode c, String key, String dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new FedbiotException("config.json: '" + key + "' must be a string (found " + n + ")");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode c, String key, boolean dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new FedbiotException("config.json: '" + key + "' must be true or false (found " + n + ")");
        }
        return n.booleanValue();
    }

    /** Reads a token id; Llama-3 lists several EOS ids, and the first is the canonical one. */
    private static int tokenId(JsonNode c, String key) {
        JsonNode n = c.get(key);
        if (n != null && n.isArray()) {
            if (n.isEmpty()) {
                return -1;
            }
            n = n.get(0);
        }
        if (n == null || n.isNull()) {
            return -1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
            throw new FedbiotException("config.json: '" + key + "' must be a token id >= 0 or a list of them (found "
                    + c.get(key) + ")");
        }
        return n.asInt();
    }

    private static void requireDivisible(int size, int heads, String sizeKey, String headsKey) {
        if (heads > 0 && size % heads != 0) {
            throw new FedbiotException("config.json: '" + sizeKey + "' (" + size + ") is not divisible by '" + headsKey
                    + "' (" + heads + ")");
        }
    }

    private static int integer(JsonNode c, String key, Integer dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new FedbiotException("config.json: missing '" + key + "'");
            }
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new FedbiotException("config.json: '" + key + "' must be an integer (found " + n + ")");
        }
        return n.asInt();
    }

    private static double dbl(JsonNode c, String key, double dflt) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new FedbiotException("config.json: '" + key + "' must be a number (found " + n + ")");
        }
        return n.asDouble();
    }

    private static void require(boolean ok, String key, Object value) {
        if (!ok) {
            throw new FedbiotException("config.json: invalid '" + key + "' (found " + value + ")");
        }
    }
}
