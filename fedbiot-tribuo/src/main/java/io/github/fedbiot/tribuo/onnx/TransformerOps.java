/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * The ONNX operators a decoder-only transformer needs and Tribuo's {@link ONNXOperators} lacks, declared for
 * the same opset ({@value #OPSET}) so that one model mixes both enums.
 *
 * @see <a href="https://onnx.ai/onnx/operators/">ONNX operator reference</a>
 */
public enum TransformerOps implements ONNXOperator {
    /** Matrix product with NumPy broadcasting of the batch dimensions. */
    MATMUL("MatMul", 2, 0),
    /** Permutes the axes; attribute {@code perm}. */
    TRANSPOSE("Transpose", 1, 0, attr("perm", AttributeType.INTS, false)),
    /** Reshapes to the shape given as the second (int64) input; 0 copies a dimension, -1 infers one. */
    RESHAPE("Reshape", 2, 0),
    /** Element-wise square root. */
    SQRT("Sqrt", 1, 0),
    /** Element-wise 1/x. */
    RECIPROCAL("Reciprocal", 1, 0),
    /** Element-wise max(x, 0). */
    RELU("Relu", 1, 0),
    /** Element-wise hyperbolic tangent (GPT-2's tanh-approximated GELU). */
    TANH("Tanh", 1, 0),
    /** Log of the softmax along attribute {@code axis}. */
    LOG_SOFTMAX("LogSoftmax", 1, 0, attr("axis", AttributeType.INT, false)),
    /** Element-wise equality, giving a bool tensor. */
    EQUAL("Equal", 2, 0);

    /** The opset version every operator here is declared for (Tribuo 4.3's). */
    public static final int OPSET = 13;

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    TransformerOps(String opName, int numInputs, int numOptionalInputs, ONNXAttribute... attrs) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        for (ONNXAttribute a : attrs) {
            m.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(m);
    }

    private static ONNXAttribute attr(String name, AttributeType type, boolean mandatory) {
        return new ONNXAttribute(name, type, mandatory);
    }

    /** {@inheritDoc} */
    @Override
    public String getOpName() {
        return opName;
    }

    /** {@inheritDoc} */
    @Override
    public int getNumInputs() {
        return numInputs;
    }

    /** {@inheritDoc} */
    @Override
    public int getNumOptionalInputs() {
        return numOptionalInputs;
    }

    /** {@inheritDoc} */
    @Override
    public int getNumOutputs() {
        return 1;
    }

    /** {@inheritDoc} */
    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    /** {@inheritDoc} */
    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.values().stream().filter(ONNXAttribute::isMandatory).map(ONNXAttribute::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** {@inheritDoc} */
    @Override
    public int getOpVersion() {
        return OPSET;
    }

    /**
     * Returns null: the operators belong to the default ONNX domain, which Tribuo leaves unset on the node.
     *
     * @return null
     */
    @Override
    public String getOpDomain() {
        return null;
    }
}
