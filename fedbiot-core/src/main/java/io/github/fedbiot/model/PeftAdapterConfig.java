/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What fedbiot takes from a PEFT {@code adapter_config.json}. Reading refuses, naming the file and key, every
 * setting that would change the adapter's tensors or forward pass in a way fedbiot does not implement (other PEFT
 * types, DoRA, rsLoRA, LoRA biases, per-module ranks, bias training, {@code modules_to_save}, regex targets), so
 * an adapter is never silently run differently from how PEFT trained it.
 *
 * @param rank {@code r}
 * @param alpha {@code lora_alpha}
 * @param dropout {@code lora_dropout}
 * @param targets {@code target_modules}, or null when absent (then taken from the tensor names)
 * @param fanInFanOut {@code fan_in_fan_out}
 * @param layersToTransform {@code layers_to_transform}, or null for every layer
 * @param baseModelName {@code base_model_name_or_path}, or null
 */
record PeftAdapterConfig(int rank, double alpha, double dropout, List<String> targets, boolean fanInFanOut,
        Set<Integer> layersToTransform, String baseModelName) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /**
     * Reads and checks the file.
     *
     * @param configFile the {@code adapter_config.json}
     * @return the settings
     * @throws FedbiotException naming the file and key of an unsupported or malformed setting
     */
    static PeftAdapterConfig read(Path configFile) {
        JsonNode c;
        try {
            c = JSON.readTree(Files.readAllBytes(configFile));
        } catch (JsonProcessingException e) {
            throw new FedbiotException(configFile + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FedbiotException("cannot read " + configFile + ": " + e.getMessage(), e);
        }
        if (c == null || !c.isObject()) {
            throw new FedbiotException(configFile + ": expected a JSON object");
        }
        String where = configFile.toString();
        String peftType = text(c, "peft_type", null, where);
        if (!"LORA".equals(peftType)) {
            throw new FedbiotException(where + ": peft_type " + (peftType == null ? "is missing" : "'" + peftType
                    + "' is not supported") + "; fedbiot reads LORA adapters");
        }
        String taskType = text(c, "task_type", null, where);
        if (taskType != null && !taskType.equals("CAUSAL_LM")) {
            throw new FedbiotException(where + ": task_type '" + taskType + "' is not supported; fedbiot reads "
                    + "CAUSAL_LM adapters");
        }
        String bias = text(c, "bias", "none", where);
        if (!bias.equals("none")) {
            throw new FedbiotException(where + ": bias '" + bias + "' is not supported (only 'none')");
        }
        for (String flag : List.of("use_dora", "use_rslora", "lora_bias", "use_qalora", "use_bdlora")) {
            if (c.hasNonNull(flag) && (!c.get(flag).isBoolean() || c.get(flag).booleanValue())) {
                throw new FedbiotException(where + ": " + flag + " " + c.get(flag) + " is not supported");
            }
        }
        // newer PEFT features that add tensors or change the forward pass
        for (String feature : List.of("target_parameters", "trainable_token_indices", "alora_invocation_tokens",
                "layer_replication")) {
            JsonNode v = c.get(feature);
            if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
                throw new FedbiotException(where + ": " + feature + " " + v + " is not supported");
            }
        }
        for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
            if (c.hasNonNull(pattern) && !(c.get(pattern).isObject() && c.get(pattern).isEmpty())) {
                throw new FedbiotException(where + ": per-module " + pattern + " " + c.get(pattern)
                        + " is not supported");
            }
        }
        JsonNode modulesToSave = c.get("modules_to_save");
        if (modulesToSave != null && !modulesToSave.isNull() && !modulesToSave.isEmpty()) {
            throw new FedbiotException(where + ": modules_to_save " + modulesToSave + " is not supported");
        }
        return new PeftAdapterConfig(positiveInt(c, "r", 8, where), number(c, "lora_alpha", 8, where),
                number(c, "lora_dropout", 0, where), targets(c, where),
                c.hasNonNull("fan_in_fan_out") && bool(c, "fan_in_fan_out", where), layers(c, where),
                text(c, "base_model_name_or_path", null, where));
    }

    /** Reads {@code layers_to_transform}: null, one layer index or a list of them. */
    private static Set<Integer> layers(JsonNode c, String where) {
        JsonNode l = c.get("layers_to_transform");
        if (l == null || l.isNull()) {
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        if (l.isArray()) {
            l.forEach(items::add);
        } else {
            items.add(l);
        }
        Set<Integer> out = new TreeSet<>();
        for (JsonNode n : items) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
                throw new FedbiotException(where + ": layers_to_transform must be a layer index or a list of them "
                        + "(found " + l + ")");
            }
            out.add(n.asInt());
        }
        return out;
    }

    private static List<String> targets(JsonNode c, String where) {
        JsonNode t = c.get("target_modules");
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isTextual()) {
            throw new FedbiotException(where + ": target_modules '" + t.textValue() + "' is a regular expression; "
                    + "fedbiot reads a list of module names");
        }
        if (!t.isArray() || t.isEmpty()) {
            throw new FedbiotException(where + ": target_modules must be a non-empty list of module names (found "
                    + t + ")");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : t) {
            if (!n.isTextual() || n.textValue().isEmpty()) {
                throw new FedbiotException(where + ": target_modules must hold module names (found " + n + ")");
            }
            out.add(n.textValue());
        }
        return out;
    }

    private static String text(JsonNode c, String key, String dflt, String where) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new FedbiotException(where + ": '" + key + "' must be a string (found " + n + ")");
        }
        return n.textValue();
    }

    private static boolean bool(JsonNode c, String key, String where) {
        JsonNode n = c.get(key);
        if (!n.isBoolean()) {
            throw new FedbiotException(where + ": '" + key + "' must be true or false (found " + n + ")");
        }
        return n.booleanValue();
    }

    private static int positiveInt(JsonNode c, String key, int dflt, String where) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new FedbiotException(where + ": '" + key + "' must be an integer > 0 (found " + n + ")");
        }
        return n.asInt();
    }

    private static double number(JsonNode c, String key, double dflt, String where) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new FedbiotException(where + ": '" + key + "' must be a number (found " + n + ")");
        }
        return n.asDouble();
    }
}
