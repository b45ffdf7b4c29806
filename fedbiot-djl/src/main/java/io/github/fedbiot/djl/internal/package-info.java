/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Internals of the DJL engine: frozen weights and their loading, decoder blocks, LoRA, losses, AdamW and the
 * KV cache, and the parts {@link io.github.fedbiot.djl.DjlBaseModel} hands its calls to (local training,
 * emulator alignment, evaluation, generation, argument checks). Not an API; only {@link io.github.fedbiot.djl}
 * is.
 */
package io.github.fedbiot.djl.internal;
