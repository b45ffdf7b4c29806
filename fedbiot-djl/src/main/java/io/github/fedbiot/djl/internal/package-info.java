/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Internals of the DJL engine: frozen weights, decoder blocks, LoRA, losses, AdamW and the KV cache. Not an
 * API; only {@link io.github.fedbiot.djl} is.
 */
package io.github.fedbiot.djl.internal;
