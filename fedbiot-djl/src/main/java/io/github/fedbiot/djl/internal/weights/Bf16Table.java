/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.tensor.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The float32 value of every bfloat16 bit pattern, indexed by the pattern as an unsigned 16-bit integer. One
 * table (256 KiB) per model; widening a weight is one gather, exact by construction.
 */
public final class Bf16Table implements AutoCloseable {
    private final NDArray table;

    /**
     * Builds the table in a manager.
     *
     * @param manager the weights' manager
     */
    public Bf16Table(NDManager manager) {
        ByteBuffer b = ByteBuffer.allocateDirect(65536 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 65536; i++) {
            b.putFloat(HalfFloats.bf16ToFloat((short) i));
        }
        b.flip();
        try (NDArray view = manager.create(b, new Shape(65536), DataType.FLOAT32)) {
            table = view.duplicate();
        }
    }

    /** Widens {@code UINT8 [..., 2]} little-endian bit patterns to float32 {@code [...]}. */
    NDArray widen(NDArray bytes) {
        NDArray wide = bytes.toType(DataType.INT64, false);
        NDArray index = wide.get("..., 1").muli(256L).addi(wide.get("..., 0"));
        Shape s = bytes.getShape();
        return table.take(index.getManager(), index.flatten()).reshape(s.slice(0, s.dimension() - 1));
    }

    @Override
    public void close() {
        table.close();
    }
}
