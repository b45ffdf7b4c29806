/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fills a native array from bytes produced a slice of rows at a time, through one direct buffer of at most
 * {@value #CHUNK_BYTES} bytes: a weight (read from a mapped file, quantised or drawn at random) never has a copy of
 * its full size on the Java heap or in a second direct buffer, and the array itself is PyTorch-owned.
 */
public final class NativeBytes {
    /** Bytes per slice. */
    static final int CHUNK_BYTES = 8 << 20;

    /** Writes the bytes of one row. */
    @FunctionalInterface
    public interface RowWriter {
        /**
         * Appends row {@code row}'s bytes (little-endian) to {@code out}.
         *
         * @param row the row index
         * @param out the buffer, positioned where the row starts
         */
        void write(int row, ByteBuffer out);
    }

    private NativeBytes() {}

    /**
     * Creates an array of {@code shape} (dimension 0 = rows) and fills it row by row.
     *
     * @param manager the manager of the result
     * @param shape the shape; its first dimension is the number of rows
     * @param type the element type
     * @param writer writes each row's {@code shape.size() / rows * type.getNumOfBytes()} bytes
     * @return the array
     */
    public static NDArray create(NDManager manager, Shape shape, DataType type, RowWriter writer) {
        int rows = Math.toIntExact(shape.get(0));
        long rowBytes = shape.size() / Math.max(1, rows) * type.getNumOfBytes();
        int chunkRows = (int) Math.max(1, Math.min(rows, CHUNK_BYTES / Math.max(1, rowBytes)));
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.toIntExact(chunkRows * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
        NDArray out = chunkRows >= rows ? null : manager.zeros(shape, type);
        try {
            for (int r0 = 0; r0 < rows; r0 += chunkRows) {
                int r1 = Math.min(rows, r0 + chunkRows);
                buf.clear();
                for (int r = r0; r < r1; r++) {
                    writer.write(r, buf);
                }
                if (buf.position() != (r1 - r0) * rowBytes) {
                    throw new IllegalStateException("rows " + r0 + ".." + r1 + " wrote " + buf.position()
                            + " bytes, expected " + (r1 - r0) * rowBytes);
                }
                buf.flip();
                long[] s = shape.getShape();
                s[0] = r1 - r0;
                try (NDArray part = manager.create(buf.slice(), new Shape(s), type)) {
                    if (out == null) {
                        return part.duplicate();
                    }
                    out.set(new NDIndex(r0 + ":" + r1), part);
                }
            }
            return out;
        } catch (RuntimeException e) {
            if (out != null) {
                out.close();
            }
            throw e;
        }
    }
}
