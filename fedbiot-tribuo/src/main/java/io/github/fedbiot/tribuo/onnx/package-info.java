/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * ONNX export of a fine-tuned decoder-only transformer as a label scorer, written with tribuo-util-onnx's
 * {@link org.tribuo.util.onnx.ONNXContext} plus the operators it lacks ({@link
 * io.github.fedbiot.tribuo.onnx.TransformerOps}).
 */
package io.github.fedbiot.tribuo.onnx;
