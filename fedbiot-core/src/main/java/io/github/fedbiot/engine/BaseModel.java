/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded decoder-only model whose base weights are frozen and shared: every computation names the decoder
 * layers to run ({@code stack}: all layers for the full model, a {@link io.github.fedbiot.model.LayerPlan}'s
 * compressed stack for emulator + adapter) and the LoRA tensors to apply, so one copy of the frozen weights
 * serves the server, the emulator and any number of simulated clients without copying.
 *
 * <p>Implementations are thread-safe for concurrent calls. Only core types cross this interface.
 */
public interface BaseModel extends AutoCloseable {

    /** Returns the model's shape. @return the spec */
    ModelSpec spec();

    /**
     * Returns the tokenizer loaded with the model.
     *
     * @return the tokenizer
     * @throws io.github.fedbiot.FedbiotException if the model has none ({@link #hasTokenizer()} is false)
     */
    TextTokenizer tokenizer();

    /**
     * Returns whether a tokenizer came with the model (a model directory may hold weights only).
     *
     * @return true if {@link #tokenizer()} succeeds
     */
    boolean hasTokenizer();

    /**
     * Returns the next-token logits of every position, in eval mode (no dropout).
     *
     * @param stack the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply (may be empty)
     * @param tokens B*T token ids, row-major
     * @param batchSize B
     * @param seqLen T
     * @return B*T*V logits, row-major
     */
    float[] logits(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, int[] tokens, int batchSize,
            int seqLen);

    /**
     * Trains LoRA tensors on a client's data (see {@link LocalTrainRequest}).
     *
     * @param request what to train
     * @return the trained tensors and statistics
     */
    LocalTrainResult trainLocal(LocalTrainRequest request);

    /**
     * Aligns the emulator to the full model on public data (see {@link AlignRequest}).
     *
     * @param request what to align
     * @return the trained emulator LoRA and statistics
     */
    AlignResult alignEmulator(AlignRequest request);

    /**
     * Sums the next-token loss over labelled positions.
     *
     * @param stack the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply (may be empty)
     * @param batches the data
     * @return summed loss and token count
     */
    EvalResult evaluate(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, List<Batch> batches);

    /**
     * Returns, for each row of each batch, the summed log-probability of its labelled tokens.
     *
     * @param stack the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply
     * @param batch the sequences
     * @return one log-likelihood per row
     */
    double[] sequenceLogLikelihoods(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, Batch batch);

    /**
     * Generates a continuation of a prompt with a KV cache.
     *
     * @param stack the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply
     * @param prompt the prompt's token ids
     * @param config decoding settings
     * @return the new token ids (without the prompt)
     */
    int[] generate(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, int[] prompt,
            GenerationConfig config);

    /**
     * Writes a Hugging Face checkpoint (config.json, model.safetensors, tokenizer files) of the full model
     * with the given LoRA merged into its base weights.
     *
     * @param dir the output directory
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to merge
     */
    void saveMerged(Path dir, LoraSpec lora, NamedTensors loraTensors);

    /**
     * Writes a merged checkpoint (see {@link #saveMerged(Path, LoraSpec, NamedTensors)}) with model.safetensors
     * in a precision: F32, F16 or BF16, or null for the precision the base weights are held in (F16 or BF16 when
     * every matrix is held so, else F32: block-quantised weights with LoRA merged in are no longer blocks).
     *
     * @param dir the output directory
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to merge
     * @param dtype the precision, or null for the stored one
     * @throws UnsupportedOperationException if the engine writes only F32 and another precision is asked for
     */
    default void saveMerged(Path dir, LoraSpec lora, NamedTensors loraTensors, io.github.fedbiot.tensor.DType dtype) {
        if (dtype != null && dtype != io.github.fedbiot.tensor.DType.F32) {
            throw new UnsupportedOperationException("this engine writes merged checkpoints in F32 only");
        }
        saveMerged(dir, lora, loraTensors);
    }

    /**
     * Writes the model without LoRA as a Hugging Face checkpoint (see {@link #saveMerged}).
     *
     * @param dir the output directory
     */
    default void save(Path dir) {
        saveMerged(dir, LoraSpec.DEFAULT, NamedTensors.empty());
    }

    /** Releases the native memory of the model. */
    @Override
    void close();
}
