/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes nodes and constants into one {@link ONNXContext}, giving each a name unique in the graph: a base name
 * and one counter for the whole graph, so that a graph written by several builders has no name clashes and the
 * same model always gets the same names.
 */
final class GraphWriter {
    private final ONNXContext ctx;
    private int counter;

    /**
     * Creates a writer.
     *
     * @param ctx the context every node goes into
     */
    GraphWriter(ONNXContext ctx) {
        this.ctx = ctx;
    }

    /** Returns an operator node without attributes. */
    ONNXNode op(ONNXOperator operator, List<? extends ONNXRef<?>> inputs) {
        return op(operator, inputs, Map.of());
    }

    /** Returns an operator node. */
    ONNXNode op(ONNXOperator operator, List<? extends ONNXRef<?>> inputs, Map<String, Object> attrs) {
        return ctx.operation(operator, inputs, name(operator.getOpName()), attrs);
    }

    /** Returns a float scalar constant; an int argument widens to float, as the graph computes in float. */
    ONNXRef<?> scalar(String base, float value) {
        return ctx.constant(name(base), value);
    }

    /** Returns a 1-D int64 initializer. */
    ONNXRef<?> longs(String base, long... values) {
        return ctx.array(name(base), values);
    }

    /** Returns a 1-D float initializer. */
    ONNXRef<?> floats(String base, float[] values) {
        return ctx.array(name(base), values);
    }

    /** Returns a float initializer of the given shape. */
    ONNXRef<?> floats(String base, int[] dims, float[] data) {
        return ctx.floatTensor(name(base), Arrays.stream(dims).boxed().toList(), fb -> fb.put(data));
    }

    /** Returns {@code x} cast to another element type. */
    ONNXNode cast(ONNXNode x, DataType to) {
        return op(ONNXOperators.CAST, List.of(x), Map.of("to", to.getNumber()));
    }

    /** Returns {@code x} with a new axis of size 1 at {@code axis}. */
    ONNXNode unsqueeze(ONNXNode x, long axis) {
        return op(ONNXOperators.UNSQUEEZE, List.of(x, longs("axes", axis)));
    }

    /** Returns {@code x} reshaped; 0 copies a dimension, -1 infers one. */
    ONNXNode reshape(ONNXRef<?> x, long... shape) {
        return op(TransformerOps.RESHAPE, List.of(x, longs("shape", shape)));
    }

    /** Returns the {@code index}-th slice of {@code x} along axis 0, without that axis. */
    ONNXNode gatherIndex(ONNXNode x, long index) {
        ONNXRef<?> idx = ctx.constant(name("idx"), index);
        return op(ONNXOperators.GATHER, List.of(x, idx), Map.of("axis", 0));
    }

    private String name(String base) {
        return base + "_" + (counter++);
    }
}
