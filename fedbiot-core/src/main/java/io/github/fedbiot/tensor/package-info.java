/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/** Heap tensors, named tensor collections and the safetensors format. */
package io.github.fedbiot.tensor;
