/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.model.RopeScaling;

/**
 * Builds a {@link ModelSpec} from the metadata of a LLaMA-architecture GGUF file: {@code llama.block_count},
 * {@code llama.embedding_length}, {@code llama.feed_forward_length}, {@code llama.attention.head_count},
 * {@code llama.attention.head_count_kv} (default: head_count), {@code llama.attention.key_length} (default:
 * embedding_length / head_count), {@code llama.context_length}, {@code llama.attention.layer_norm_rms_epsilon},
 * {@code llama.rope.freq_base} (default 10000), {@code llama.rope.scaling.type}/{@code .factor} (linear only);
 * the vocabulary size from {@code llama.vocab_size} or the tokenizer's token list; BOS and EOS ids from
 * {@code tokenizer.ggml.bos_token_id}/{@code eos_token_id}; tied embeddings when there is no {@code output}
 * tensor; attention bias when {@code blk.0.attn_q.bias} exists.
 */
public final class GgufModelSpec {
    /** The only {@code general.architecture} converted so far. */
    public static final String LLAMA = "llama";

    private GgufModelSpec() {}

    /**
     * Reads the spec.
     *
     * @param gguf an open GGUF file
     * @return the spec, model_type {@code llama}
     * @throws GgufFormatException if the architecture is not supported or a key is missing or inconsistent
     */
    public static ModelSpec from(GgufFile gguf) {
        String arch = gguf.getString("general.architecture");
        if (!arch.equals(LLAMA)) {
            throw new GgufFormatException("GGUF file " + gguf.path() + ": general.architecture '" + arch
                    + "' is not supported (supported: llama)");
        }
        String p = arch + ".";
        int hidden = gguf.getInt(p + "embedding_length");
        int heads = gguf.getInt(p + "attention.head_count");
        int kvHeads = gguf.getInt(p + "attention.head_count_kv", heads);
        if (heads <= 0 || hidden % heads != 0 && !gguf.has(p + "attention.key_length")) {
            throw bad(gguf, "embedding_length " + hidden + " is not divisible by attention.head_count " + heads);
        }
        int headDim = gguf.getInt(p + "attention.key_length", heads > 0 ? hidden / heads : 0);
        int valueDim = gguf.getInt(p + "attention.value_length", headDim);
        if (valueDim != headDim) {
            throw bad(gguf, "attention.value_length " + valueDim + " differs from key_length " + headDim
                    + " (not supported)");
        }
        int ropeDims = gguf.getInt(p + "rope.dimension_count", headDim);
        if (ropeDims != headDim) {
            throw bad(gguf, "rope.dimension_count " + ropeDims + " differs from the head dimension " + headDim
                    + " (partial rotary embeddings are not supported)");
        }
        int vocab = gguf.has(p + "vocab_size") ? gguf.getInt(p + "vocab_size")
                : gguf.has("tokenizer.ggml.tokens") ? gguf.getStringList("tokenizer.ggml.tokens").size()
                : gguf.tensor("token_embd.weight").shape()[0];
        RopeScaling scaling = null;
        String scalingType = gguf.getString(p + "rope.scaling.type", "none");
        if (!scalingType.equals("none")) {
            if (!scalingType.equals("linear")) {
                throw bad(gguf, "rope.scaling.type '" + scalingType + "' is not supported (supported: none, linear)");
            }
            scaling = new RopeScaling("linear", gguf.getDouble(p + "rope.scaling.factor"), 1, 4, 0);
        }
        if (gguf.tensors().containsKey("rope_freqs.weight")) {
            throw new GgufFormatException("GGUF file " + gguf.path() + ": tensor 'rope_freqs.weight' (Llama-3.1 "
                    + "style rope scaling) is not supported");
        }
        try {
            return new ModelSpec(Architecture.LLAMA, "llama", vocab, hidden, gguf.getInt(p + "block_count"), heads,
                    kvHeads, headDim, gguf.getInt(p + "feed_forward_length"), gguf.getInt(p + "context_length"),
                    gguf.getDouble(p + "attention.layer_norm_rms_epsilon"), gguf.getDouble(p + "rope.freq_base",
                            10000.0), scaling, gguf.tensors().containsKey("blk.0.attn_q.bias"),
                    !gguf.tensors().containsKey("output.weight"), "silu",
                    gguf.getInt("tokenizer.ggml.bos_token_id", -1), gguf.getInt("tokenizer.ggml.eos_token_id", -1));
        } catch (GgufFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GgufFormatException("GGUF file " + gguf.path() + ": inconsistent model metadata: "
                    + e.getMessage());
        }
    }

    private static GgufFormatException bad(GgufFile gguf, String message) {
        return new GgufFormatException("GGUF file " + gguf.path() + ": llama." + message);
    }
}
