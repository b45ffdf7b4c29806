/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the arguments of a model call against the model's shape before any native array is made, so that a
 * bad request fails with an {@link IllegalArgumentException} that names the value found.
 */
public final class RequestChecks {
    private final ModelSpec spec;

    /**
     * Creates the checks of one model.
     *
     * @param spec the model shape
     */
    public RequestChecks(ModelSpec spec) {
        this.spec = spec;
    }

    /**
     * Returns the LoRA settings with the targets of the model's family.
     *
     * @param lora the requested settings
     * @return the settings for this model
     */
    public LoraSpec lora(LoraSpec lora) {
        if (lora == null) {
            throw new IllegalArgumentException("LoRA spec must not be null");
        }
        return lora.forArchitecture(spec.architecture());
    }

    /**
     * Checks that a layer stack names distinct layers of the model.
     *
     * @param layers the stack
     */
    public void stack(List<Integer> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layer stack must name at least one decoder layer");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer l : layers) {
            if (l == null || l < 0 || l >= spec.numLayers()) {
                throw new IllegalArgumentException("layer stack " + layers + ": index " + l
                        + " is out of range [0, " + spec.numLayers() + ")");
            }
            if (!seen.add(l)) {
                throw new IllegalArgumentException("layer stack " + layers + " names layer " + l + " twice");
            }
        }
    }

    /**
     * Checks the micro-batches of every optimizer step.
     *
     * @param steps the steps
     */
    public void steps(List<List<Batch>> steps) {
        for (List<Batch> step : steps) {
            if (step.isEmpty()) {
                throw new IllegalArgumentException("every optimizer step needs at least one micro-batch");
            }
            step.forEach(this::batch);
        }
    }

    /**
     * Checks a batch's tokens.
     *
     * @param batch the batch
     */
    public void batch(Batch batch) {
        tokens(batch.tokens(), batch.batchSize(), batch.seqLen());
    }

    /**
     * Checks that B*T token ids fit the context length and the vocabulary.
     *
     * @param tokens the ids, row-major
     * @param batchSize B
     * @param seqLen T
     */
    public void tokens(int[] tokens, int batchSize, int seqLen) {
        if (batchSize <= 0 || seqLen <= 0 || tokens.length != (long) batchSize * seqLen) {
            throw new IllegalArgumentException("expected " + batchSize + "x" + seqLen + " tokens, got "
                    + tokens.length);
        }
        if (seqLen > spec.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + seqLen + " exceeds the model's context length "
                    + spec.maxPositions());
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= spec.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at row " + (i / seqLen) + ", position "
                        + (i % seqLen) + " is outside the vocabulary [0, " + spec.vocabSize() + ")");
            }
        }
    }

    /**
     * Checks that every tensor belongs to one of the given layers.
     *
     * @param tensors the LoRA tensors
     * @param layers the layers they may belong to
     * @param what what the tensors are, for the message
     */
    public static void requireLayers(NamedTensors tensors, List<Integer> layers, String what) {
        for (String name : tensors.names()) {
            int layer = LoraNames.layerOf(name);
            if (!layers.contains(layer)) {
                throw new IllegalArgumentException(what + " tensor '" + name + "' is for layer " + layer
                        + ", which is not among the plan's layers " + layers);
            }
        }
    }
}
