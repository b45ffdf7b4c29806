/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The fedbiot training engine on DJL with the PyTorch engine: LLaMA-family and GPT-2 decoders with LoRA,
 * causal-LM training with AdamW, emulator alignment, KV-cache generation, Hugging Face checkpoint and
 * tokenizer I/O. Registered as the {@code djl} engine through {@link io.github.fedbiot.djl.DjlEngineProvider}.
 */
package io.github.fedbiot.djl;
