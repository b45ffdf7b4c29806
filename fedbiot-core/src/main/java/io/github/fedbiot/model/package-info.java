/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/** Model shapes (config.json), LoRA settings and names, and the layer plan that splits a model into adapter, teacher and emulator. */
package io.github.fedbiot.model;
