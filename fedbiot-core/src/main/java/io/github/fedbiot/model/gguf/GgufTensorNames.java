/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps llama.cpp's tensor names of a LLaMA-family model to the Hugging Face names of
 * {@code LlamaForCausalLM} (suffix {@code .weight} or {@code .bias} kept):
 * <pre>
 * token_embd          model.embed_tokens        output_norm        model.norm
 * output              lm_head
 * blk.N.attn_norm     model.layers.N.input_layernorm
 * blk.N.attn_q|k|v    model.layers.N.self_attn.q_proj|k_proj|v_proj
 * blk.N.attn_output   model.layers.N.self_attn.o_proj
 * blk.N.ffn_norm      model.layers.N.post_attention_layernorm
 * blk.N.ffn_gate|up|down  model.layers.N.mlp.gate_proj|up_proj|down_proj
 * </pre>
 */
public final class GgufTensorNames {
    // Layer numbers as llama.cpp writes them: no leading zeros (blk.07 would alias blk.7) and at most 9 digits,
    // so that they fit an int.
    private static final Pattern BLOCK = Pattern.compile("blk\\.(0|[1-9]\\d{0,8})\\.([a-z_]+)\\.(weight|bias)");
    private static final Pattern GLOBAL = Pattern.compile("([a-z_]+)\\.(weight|bias)");

    private static final Map<String, String> GLOBALS = Map.of(
            "token_embd", "model.embed_tokens",
            "output_norm", "model.norm",
            "output", "lm_head");

    private static final Map<String, String> LAYER = Map.of(
            "attn_norm", "input_layernorm",
            "attn_q", "self_attn.q_proj",
            "attn_k", "self_attn.k_proj",
            "attn_v", "self_attn.v_proj",
            "attn_output", "self_attn.o_proj",
            "ffn_norm", "post_attention_layernorm",
            "ffn_gate", "mlp.gate_proj",
            "ffn_up", "mlp.up_proj",
            "ffn_down", "mlp.down_proj");

    private GgufTensorNames() {}

    /**
     * Returns the Hugging Face name of a llama.cpp tensor.
     *
     * @param ggufName e.g. {@code blk.3.attn_q.weight}
     * @return e.g. {@code model.layers.3.self_attn.q_proj.weight}, or empty for a name this mapping does not know
     */
    public static Optional<String> toHuggingFace(String ggufName) {
        Matcher m = BLOCK.matcher(ggufName);
        if (m.matches()) {
            String module = LAYER.get(m.group(2));
            return module == null ? Optional.empty()
                    : Optional.of("model.layers." + Integer.parseInt(m.group(1)) + "." + module + "." + m.group(3));
        }
        m = GLOBAL.matcher(ggufName);
        if (m.matches() && GLOBALS.containsKey(m.group(1))) {
            return Optional.of(GLOBALS.get(m.group(1)) + "." + m.group(2));
        }
        return Optional.empty();
    }

    /**
     * Returns the layer index of a block tensor.
     *
     * @param ggufName a llama.cpp tensor name
     * @return N for {@code blk.N.*}, or -1
     */
    public static int layerOf(String ggufName) {
        Matcher m = BLOCK.matcher(ggufName);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
