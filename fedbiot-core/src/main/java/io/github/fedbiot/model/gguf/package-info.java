/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The GGUF format of llama.cpp: a reader ({@link io.github.fedbiot.model.gguf.GgufReader} opens a
 * {@link io.github.fedbiot.model.gguf.GgufFile}), dequantisation of its block-quantised tensors to float32
 * ({@link io.github.fedbiot.model.gguf.Dequantizer}), and the conversion of a LLaMA-family GGUF model to a
 * Hugging Face model directory ({@link io.github.fedbiot.model.gguf.GgufToHuggingFace}): tensor names, the
 * rotary row order of the query and key projections, the model spec and a {@code tokenizer.json}.
 *
 * <p>Written from the format's published description (the GGUF specification and the block layouts of
 * ggml); no code is taken from llama.cpp or gguf-py.
 */
package io.github.fedbiot.model.gguf;
