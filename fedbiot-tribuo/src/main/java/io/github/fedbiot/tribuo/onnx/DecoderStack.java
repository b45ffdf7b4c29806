/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import java.util.List;
import org.tribuo.util.onnx.ONNXNode;

/**
 * The decoder of one architecture family: token (and position) embeddings, the chosen layers in order, and
 * the final norm, giving the hidden state of every position.
 */
sealed interface DecoderStack permits LlamaDecoder, Gpt2Decoder {
    /**
     * Writes the decoder.
     *
     * @param seq {@code [BL, T]} int64 token ids
     * @param positions {@code [BL, T]} int64 position ids
     * @param mask {@code [BL, 1, 1, T, T]} additive attention mask
     * @return {@code [BL, T, d]} final hidden states
     */
    ONNXNode write(ONNXNode seq, ONNXNode positions, ONNXNode mask);

    /**
     * Returns the decoder of a model's architecture.
     *
     * @param spec the model shape
     * @param blocks the blocks to build layers from
     * @param layers the decoder layers to run, in order
     * @param seqLen T, the sequence length
     * @return GPT-2's decoder for GPT-2, the LLaMA family's otherwise
     */
    static DecoderStack of(ModelSpec spec, TransformerBlocks blocks, List<Integer> layers, int seqLen) {
        return spec.architecture() == Architecture.GPT2 ? new Gpt2Decoder(spec, blocks, layers, seqLen)
                : new LlamaDecoder(spec, blocks, layers, seqLen);
    }
}
