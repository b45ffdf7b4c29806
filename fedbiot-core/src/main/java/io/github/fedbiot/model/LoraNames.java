/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and shapes of LoRA tensors, following PEFT's naming without its {@code base_model.model.} prefix:
 * {@code model.layers.3.self_attn.q_proj.lora_A.weight} (shape {@code [r, in]}) and
 * {@code ...lora_B.weight} (shape {@code [out, r]}).
 */
public final class LoraNames {
    private static final Pattern LAYER = Pattern.compile("^(?:model\\.layers|transformer\\.h)\\.(\\d+)\\.");

    private LoraNames() {}

    /**
     * Returns the Hugging Face path of a module of a decoder layer.
     *
     * @param arch the model family
     * @param layer the layer index
     * @param module the module name, e.g. {@code q_proj} or {@code c_attn}
     * @return e.g. {@code model.layers.3.self_attn.q_proj}
     */
    public static String modulePath(Architecture arch, int layer, String module) {
        String base = arch.layerPrefix() + layer + ".";
        if (arch == Architecture.GPT2) {
            return switch (module) {
                case "c_attn", "attn.c_proj" -> base + (module.startsWith("attn.") ? module : "attn." + module);
                case "c_fc", "mlp.c_proj" -> base + (module.startsWith("mlp.") ? module : "mlp." + module);
                default -> throw new IllegalArgumentException("unknown GPT-2 module '" + module + "'");
            };
        }
        return switch (module) {
            case "q_proj", "k_proj", "v_proj", "o_proj" -> base + "self_attn." + module;
            case "gate_proj", "up_proj", "down_proj" -> base + "mlp." + module;
            default -> throw new IllegalArgumentException("unknown LLaMA module '" + module + "'");
        };
    }

    /**
     * Returns the name of a LoRA A matrix.
     *
     * @param arch the model family
     * @param layer the layer index
     * @param module the module name
     * @return the tensor name
     */
    public static String loraA(Architecture arch, int layer, String module) {
        return modulePath(arch, layer, module) + ".lora_A.weight";
    }

    /**
     * Returns the name of a LoRA B matrix.
     *
     * @param arch the model family
     * @param layer the layer index
     * @param module the module name
     * @return the tensor name
     */
    public static String loraB(Architecture arch, int layer, String module) {
        return modulePath(arch, layer, module) + ".lora_B.weight";
    }

    /**
     * Returns the base weight's name for a LoRA tensor name (e.g. for merging).
     *
     * @param loraName a LoRA A or B name
     * @return e.g. {@code model.layers.3.self_attn.q_proj.weight}
     */
    public static String baseWeight(String loraName) {
        return loraName.replaceFirst("\\.lora_[AB]\\.weight$", ".weight");
    }

    /**
     * Returns the decoder layer a tensor name belongs to.
     *
     * @param name a tensor name
     * @return the layer index, or -1 if the name is not inside a decoder layer
     */
    public static int layerOf(String name) {
        Matcher m = LAYER.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Returns the {@code [in, out]} sizes of a module.
     *
     * @param spec the model
     * @param module the module name
     * @return {in, out}
     */
    public static int[] moduleDims(ModelSpec spec, String module) {
        int d = spec.hiddenSize();
        int q = spec.numHeads() * spec.headDim();
        int kv = spec.numKvHeads() * spec.headDim();
        int i = spec.intermediateSize();
        return switch (module) {
            case "q_proj" -> new int[] {d, q};
            case "k_proj", "v_proj" -> new int[] {d, kv};
            case "o_proj" -> new int[] {q, d};
            case "gate_proj", "up_proj", "c_fc" -> new int[] {d, i};
            case "down_proj", "mlp.c_proj" -> new int[] {i, d};
            case "c_attn" -> new int[] {d, 3 * d};
            case "attn.c_proj" -> new int[] {d, d};
            default -> throw new IllegalArgumentException("unknown module '" + module + "'");
        };
    }
}
