/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static io.github.fedbiot.model.ConfigValues.require;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * @param slidingWindow sliding-window attention of some layers (Mistral, Qwen2), or null when every layer
 *     attends to all earlier positions
 * @param trainingDropout the config's non-zero dropout probabilities by key ({@code attention_dropout};
 *     GPT-2's {@code attn_pdrop}, {@code resid_pdrop}, {@code embd_pdrop}): transformers applies them in training
 *     mode only, and so does an engine (local training and the student of emulator alignment; never evaluation
 *     or generation)
 */
public record ModelSpec(Architecture architecture, String modelType, int vocabSize, int hiddenSize,
        int numLayers, int numHeads, int numKvHeads, int headDim, int intermediateSize, int maxPositions,
        double normEps, double ropeTheta, RopeScaling ropeScaling, boolean attentionBias,
        boolean tieWordEmbeddings, String hiddenAct, int bosTokenId, int eosTokenId, SlidingWindow slidingWindow,
        Map<String, Double> trainingDropout) {

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
        SpecialTokenIds.requireInVocabulary("bos_token_id", bosTokenId, vocabSize);
        SpecialTokenIds.requireInVocabulary("eos_token_id", eosTokenId, vocabSize);
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
        if (slidingWindow != null) {
            if (!modelType.equals("mistral") && !modelType.equals("qwen2")) {
                throw new FedbiotException("config.json: a sliding window is only defined for mistral and qwen2 "
                        + "(found model_type " + modelType + ")");
            }
            List<Integer> layers = slidingWindow.layers();
            if (layers.get(layers.size() - 1) >= numLayers) {
                throw new FedbiotException("config.json: sliding layers " + layers + " exceed num_hidden_layers "
                        + numLayers);
            }
            if (modelType.equals("mistral") && layers.size() != numLayers) {
                throw new FedbiotException("config.json: mistral's sliding window applies to every layer (found "
                        + layers + " of " + numLayers + ")");
            }
        }
        trainingDropout = trainingDropout == null ? Map.of() : Map.copyOf(trainingDropout);
        trainingDropout.forEach((key, p) -> require(p > 0 && p < 1, key, p));
    }

    /**
     * Creates a spec without sliding window and without dropout (every layer attends to all earlier positions).
     *
     * @param architecture the family
     * @param modelType the {@code model_type} string
     * @param vocabSize the vocabulary size
     * @param hiddenSize the model width
     * @param numLayers the number of decoder layers
     * @param numHeads the number of attention heads
     * @param numKvHeads the number of key/value heads
     * @param headDim the per-head dimension
     * @param intermediateSize the MLP width
     * @param maxPositions the maximal sequence length
     * @param normEps the norm epsilon
     * @param ropeTheta the RoPE base
     * @param ropeScaling RoPE scaling, or null
     * @param attentionBias whether q/k/v have biases
     * @param tieWordEmbeddings whether the head is tied
     * @param hiddenAct the activation name
     * @param bosTokenId the BOS id, or -1
     * @param eosTokenId the EOS id, or -1
     */
    public ModelSpec(Architecture architecture, String modelType, int vocabSize, int hiddenSize, int numLayers,
            int numHeads, int numKvHeads, int headDim, int intermediateSize, int maxPositions, double normEps,
            double ropeTheta, RopeScaling ropeScaling, boolean attentionBias, boolean tieWordEmbeddings,
            String hiddenAct, int bosTokenId, int eosTokenId) {
        this(architecture, modelType, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads, headDim,
                intermediateSize, maxPositions, normEps, ropeTheta, ropeScaling, attentionBias, tieWordEmbeddings,
                hiddenAct, bosTokenId, eosTokenId, null, Map.of());
    }

    /**
     * Returns whether a decoder layer attends through the sliding window.
     *
     * @param layer the layer index in the full model
     * @return true for a sliding layer
     */
    public boolean slides(int layer) {
        return slidingWindow != null && slidingWindow.slides(layer);
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
     * @throws FedbiotException if the file is missing, malformed or describes an unsupported model, or if a
     *     special token id of config.json or generation_config.json lies outside the vocabulary
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
            ModelSpec spec = parse(tree);
            SpecialTokenIds.check(tree, modelDir, spec.vocabSize());
            return spec;
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
        return HfConfigReader.parse(c);
    }

    /**
     * Returns this spec as a Hugging Face config.json tree that transformers loads.
     *
     * @return the JSON tree
     */
    public ObjectNode toConfigJson() {
        return HfConfigWriter.write(this);
    }
}
