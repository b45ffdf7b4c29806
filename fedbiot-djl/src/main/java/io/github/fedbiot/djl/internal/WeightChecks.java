/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import java.util.Collection;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load-time checks of a checkpoint's weights against its config.json, each failing with a message that names
 * the model and what is wrong: the decoder layers the files hold must be exactly {@code num_hidden_layers}
 * (more would be ignored silently, fewer fail on the first absent tensor), and every weight must be finite (one
 * NaN or infinity makes every loss NaN, which a run would otherwise report as a result).
 */
final class WeightChecks {
    /** A decoder-layer tensor name: HF LLaMA, HF GPT-2, and GPT-2 without the {@code transformer.} prefix. */
    private static final Pattern LAYER = Pattern.compile("^(?:model\\.layers|transformer\\.h|h)\\.(\\d+)\\.");

    private WeightChecks() {}

    /**
     * Refuses a checkpoint whose decoder layers are not those of the spec.
     *
     * @param spec the model shape
     * @param names the tensor names of the checkpoint
     * @param model the model's name for the message (its directory)
     * @throws FedbiotException if the files hold more or fewer layers, or the layer indices have a gap (files
     *     without any decoder layer are left to the shape checks)
     */
    static void requireLayerCount(ModelSpec spec, Collection<String> names, String model) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : names) {
            Matcher m = LAYER.matcher(name);
            if (m.find() && m.group(1).length() < 10) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        String key = spec.architecture() == Architecture.GPT2 ? "n_layer" : "num_hidden_layers";
        if (layers.isEmpty()) {
            return; // no decoder layer at all is not a different depth: the shape checks name what is there
        }
        int held = layers.last() + 1;
        if (held != spec.numLayers()) {
            throw new FedbiotException("model " + model + ": config.json's " + key + " is " + spec.numLayers()
                    + " but the weights hold " + held + " decoder layers (0.." + (held - 1) + ")");
        }
        if (layers.size() != held) {
            for (int i = 0; i < held; i++) {
                if (!layers.contains(i)) {
                    throw new FedbiotException("model " + model + ": the weights hold no tensor of decoder layer "
                            + i + " (of 0.." + (held - 1) + ")");
                }
            }
        }
    }

    /**
     * Refuses weights with a NaN or infinite value, counted in native memory: one mask and one count per
     * tensor, freed before the next tensor.
     *
     * @param weights the loaded weights
     * @param model the model's name for the message (its directory)
     * @throws FedbiotException naming the first tensor with a non-finite value and how many it has
     */
    static void requireFinite(ModelWeights weights, String model) {
        for (String name : ModelWeights.names(weights.spec())) {
            long bad;
            // Compressed weights are widened one tensor at a time, so the check holds at most one fp32 copy.
            try (NDManager m = weights.manager().newSubManager()) {
                NDArray a = weights.widen(name, m);
                bad = a.isNaN().logicalOr(a.isInfinite()).countNonzero().getLong();
            }
            if (bad > 0) {
                throw new FedbiotException("model " + model + ": tensor " + name + " has " + bad + " NaN/Inf value"
                        + (bad == 1 ? "" : "s"));
            }
        }
    }
}
