/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import static io.github.fedbiot.model.ConfigValues.bool;
import static io.github.fedbiot.model.ConfigValues.integer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the sliding-window keys of config.json the way transformers 5 interprets them.
 *
 * <ul>
 *   <li>{@code mistral}: {@code sliding_window} (absent: 4096, {@code MistralConfig}'s default; null: none) applies
 *       to every layer; {@code MistralModel} ignores {@code layer_types}, so a list that disagrees is refused.
 *   <li>{@code qwen2}: {@code Qwen2Config.__post_init__} sets {@code sliding_window} to None unless
 *       {@code use_sliding_window}; {@code layer_types}, when present, names each layer's kind
 *       ({@code full_attention}/{@code sliding_attention}); otherwise layer {@code i} slides iff the window is set
 *       and {@code i >= max_window_layers} (default 28).
 *   <li>{@code llama}, {@code gpt2}: no sliding window ({@code LlamaModel} never reads these keys).
 * </ul>
 */
final class SlidingWindowConfig {
    static final String FULL = "full_attention";
    static final String SLIDING = "sliding_attention";
    /** transformers' default {@code sliding_window} of MistralConfig and Qwen2Config. */
    static final int DEFAULT_WINDOW = 4096;
    /** transformers' default {@code max_window_layers} of Qwen2Config. */
    static final int DEFAULT_MAX_WINDOW_LAYERS = 28;

    private SlidingWindowConfig() {}

    /**
     * Returns the sliding layers a config describes.
     *
     * @param c the config tree
     * @param type the model_type
     * @param numLayers num_hidden_layers
     * @return the window, or null when no layer slides
     * @throws FedbiotException naming the key for a value transformers would not run, or run differently
     */
    static SlidingWindow read(JsonNode c, String type, int numLayers) {
        switch (type) {
            case "mistral" -> {
                Integer size = window(c);
                List<String> applied = new ArrayList<>();
                for (int i = 0; i < numLayers; i++) {
                    applied.add(size != null ? SLIDING : FULL);
                }
                List<String> listed = layerTypes(c, type, numLayers);
                if (listed != null && !listed.equals(applied)) {
                    throw new FedbiotException("config.json: 'layer_types' " + listed + " is not supported for mistral: "
                            + "transformers' MistralModel ignores it and gives every layer "
                            + (size != null ? "the sliding window" : "full attention")
                            + " (mixed layer kinds are the 'ministral' model type)");
                }
                return size == null ? null : new SlidingWindow(size, allLayers(numLayers));
            }
            case "qwen2" -> {
                Integer size = bool(c, "use_sliding_window", false) ? window(c) : null;
                int maxWindowLayers = integer(c, "max_window_layers", DEFAULT_MAX_WINDOW_LAYERS);
                List<String> kinds = layerTypes(c, type, numLayers);
                if (kinds == null) {
                    kinds = new ArrayList<>();
                    for (int i = 0; i < numLayers; i++) {
                        kinds.add(size != null && i >= maxWindowLayers ? SLIDING : FULL);
                    }
                }
                List<Integer> sliding = new ArrayList<>();
                for (int i = 0; i < numLayers; i++) {
                    if (kinds.get(i).equals(SLIDING)) {
                        sliding.add(i);
                    }
                }
                if (!sliding.isEmpty() && size == null) {
                    throw new FedbiotException("config.json: 'layer_types' names sliding_attention layers " + sliding
                            + " but there is no window ('use_sliding_window' false or 'sliding_window' null); "
                            + "transformers cannot run such a config");
                }
                return sliding.isEmpty() ? null : new SlidingWindow(size, sliding);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * Writes the keys back so that transformers 5 reads the same layers (and Mistral's absent-key default of
     * 4096 never applies to a model without a window).
     *
     * @param c the config being written
     * @param s the spec
     */
    static void write(ObjectNode c, ModelSpec s) {
        SlidingWindow w = s.slidingWindow();
        if (s.modelType().equals("mistral")) {
            if (w == null) {
                c.putNull("sliding_window");
            } else {
                c.put("sliding_window", w.size());
            }
        } else if (s.modelType().equals("qwen2")) {
            c.put("use_sliding_window", w != null);
            if (w == null) {
                c.putNull("sliding_window");
                return;
            }
            c.put("sliding_window", w.size());
            int first = w.layers().get(0);
            boolean suffix = w.layers().size() == s.numLayers() - first;
            c.put("max_window_layers", suffix ? first : s.numLayers()); // informational: layer_types wins
            ArrayNode types = c.putArray("layer_types");
            for (int i = 0; i < s.numLayers(); i++) {
                types.add(w.slides(i) ? SLIDING : FULL);
            }
        }
    }

    /** Reads sliding_window: absent gives transformers' default 4096 (both configs), an explicit null none. */
    private static Integer window(JsonNode c) {
        if (!c.has("sliding_window")) {
            return DEFAULT_WINDOW;
        }
        if (c.get("sliding_window").isNull()) {
            return null;
        }
        int size = integer(c, "sliding_window", null);
        if (size <= 0) {
            throw new FedbiotException("config.json: invalid 'sliding_window' (found " + size + "); it must be > 0 "
                    + "or null");
        }
        return size;
    }

    private static List<String> layerTypes(JsonNode c, String type, int numLayers) {
        JsonNode n = c.get("layer_types");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new FedbiotException("config.json: 'layer_types' must be a list (found " + n + ")");
        }
        if (n.size() != numLayers) {
            throw new FedbiotException("config.json: 'layer_types' has " + n.size() + " entries but "
                    + "'num_hidden_layers' is " + numLayers);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            String kind = e.isTextual() ? e.asText() : null;
            if ("attention".equals(kind)) {
                kind = FULL; // transformers' _LEGACY_LAYER_TYPE_REMAP
            }
            if (!FULL.equals(kind) && !SLIDING.equals(kind)) {
                throw new FedbiotException("config.json: 'layer_types' entry " + e + " is not supported for " + type
                        + " (supported: " + FULL + ", " + SLIDING + ")");
            }
            out.add(kind);
        }
        return out;
    }

    private static List<Integer> allLayers(int numLayers) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) {
            all.add(i);
        }
        return all;
    }
}
