/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * FedBiOT as a Tribuo {@link org.tribuo.Trainer}: an OLCUT-configured trainer that fine-tunes a decoder-only
 * LM by federated bi-level optimisation and returns a text classifier with full provenance and ONNX export.
 */
package io.github.fedbiot.tribuo;
