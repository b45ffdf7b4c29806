/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Creates fresh LoRA tensors as PEFT does: A from Kaiming-uniform with {@code a = sqrt(5)} (bound
 * {@code 1 / sqrt(in)}), B zero, so the adapted model starts equal to the base model. Deterministic: the
 * values depend only on the seed, the layer and the module.
 */
public final class LoraInit {
    private LoraInit() {}

    /**
     * Returns LoRA A/B tensors for the given layers and the spec's target modules.
     *
     * @param model the model shape
     * @param lora the LoRA settings (targets already valid for the family)
     * @param layers the decoder layers to adapt
     * @param seed the seed
     * @return the tensors, ordered by layer then module, A before B
     * @throws ConfigException naming {@code lora.targets} if a target is not a module of the family
     * @throws IllegalArgumentException if a layer index is outside the model or repeated
     */
    public static NamedTensors create(ModelSpec model, LoraSpec lora, Collection<Integer> layers, long seed) {
        NamedTensors.Builder b = NamedTensors.builder();
        Architecture arch = model.architecture();
        for (String module : lora.targets()) {
            ConfigException.require(arch.loraTargets().contains(module), "lora.targets", module,
                    "is not a module of " + arch + " (modules: " + arch.loraTargets() + ")");
        }
        List<Integer> sorted = layers.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            int layer = sorted.get(i);
            if (layer < 0 || layer >= model.numLayers() || (i > 0 && layer == sorted.get(i - 1))) {
                throw new IllegalArgumentException("LoRA layers must be distinct indices in [0, " + model.numLayers()
                        + ") (found " + sorted + ")");
            }
        }
        for (int layer : sorted) {
            for (String module : lora.targets()) {
                int[] dims = LoraNames.moduleDims(model, module);
                SplittableRandom rng = new SplittableRandom(seed ^ (31L * layer + module.hashCode()) * 0x9E3779B97F4A7C15L);
                float[] a = new float[lora.rank() * dims[0]];
                double bound = 1.0 / Math.sqrt(dims[0]);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) rng.nextDouble(-bound, bound);
                }
                b.add(LoraNames.loraA(arch, layer, module), new Tensor(new int[] {lora.rank(), dims[0]}, a));
                b.add(LoraNames.loraB(arch, layer, module), Tensor.zeros(dims[1], lora.rank()));
            }
        }
        return b.build();
    }
}
