/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The two 4-bit values packed in each byte, as float32 rows of a table indexed by the byte: row {@code b} holds
 * {@code (b & 15, b >> 4)}, less 8 for Q4_0's signed codes. DJL has no bitwise operations, so unpacking is one
 * embedding lookup per byte.
 */
final class NibbleTable implements AutoCloseable {
    private final NDArray unsigned;
    private final NDArray signed;

    NibbleTable(NDManager manager) {
        unsigned = table(manager, 0);
        signed = table(manager, 8);
    }

    private static NDArray table(NDManager manager, int offset) {
        ByteBuffer b = ByteBuffer.allocateDirect(256 * 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 256; i++) {
            b.putFloat((i & 15) - offset);
            b.putFloat((i >>> 4) - offset);
        }
        b.flip();
        try (NDArray view = manager.create(b, new Shape(256, 2), DataType.FLOAT32)) {
            return view.duplicate();
        }
    }

    /**
     * Unpacks {@code UINT8 [rows, blocks, 16]} into float32 {@code [rows, blocks, 32]}: byte {@code j}'s low
     * nibble is value {@code j}, its high nibble value {@code j + 16}.
     *
     * @param packed the packed quants
     * @param minus8 whether to subtract 8 (Q4_0)
     * @return the values
     */
    NDArray unpack(NDArray packed, boolean minus8) {
        Shape s = packed.getShape();
        NDArray ids = packed.toType(DataType.INT32, false);
        NDArray pairs = ids.getNDArrayInternal().embedding(ids, minus8 ? signed : unsigned, SparseFormat.DENSE)
                .singletonOrThrow(); // [rows, blocks, 16, 2]
        return pairs.transpose(0, 1, 3, 2).reshape(s.get(0), s.get(1), 2 * s.get(2));
    }

    @Override
    public void close() {
        unsigned.close();
        signed.close();
    }
}
