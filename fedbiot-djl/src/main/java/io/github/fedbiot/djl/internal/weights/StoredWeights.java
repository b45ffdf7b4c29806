/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.gguf.GgmlType;
import io.github.fedbiot.tensor.HalfFloats;
import java.nio.ByteBuffer;
import java.util.function.IntUnaryOperator;

/**
 * Creates the stored form of frozen weights in one manager: from float32 heap values (converted to the format
 * asked for), from the raw bytes of a GGUF tensor (its blocks copied as they are, rows reordered on the way), or
 * from row writers (a benchmark's random blocks). Vectors (norms, biases) and matrices whose rows are not whole
 * blocks of 32 stay float32: they are a negligible part of a model and ggml keeps them unquantised too.
 */
public final class StoredWeights implements AutoCloseable {
    private final NDManager manager;
    private Bf16Table table;
    private NibbleTable nibbles;

    /**
     * Creates weights in a manager.
     *
     * @param manager the base manager that owns every stored array
     */
    public StoredWeights(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Returns the format a weight of this shape is held in when {@code requested} is asked for.
     *
     * @param requested the format asked for (not {@code AS_STORED})
     * @param shape the engine-layout shape
     * @return {@code requested}, or F32 for a vector or a block format whose rows are not whole blocks
     */
    public static WeightFormat applicable(WeightFormat requested, int[] shape) {
        if (requested == WeightFormat.AS_STORED) {
            throw new IllegalArgumentException("resolve as_stored first");
        }
        if (shape.length < 2) {
            return WeightFormat.F32;
        }
        if (requested.isBlockQuantized() && shape[shape.length - 1] % BlockWeight.BLOCK != 0) {
            return WeightFormat.F32;
        }
        return requested;
    }

    /**
     * Stores float32 values in a format.
     *
     * @param values the values, row-major, in the engine's layout
     * @param shape the shape
     * @param format the format ({@link #applicable} for the shape)
     * @return the weight
     */
    public StoredWeight fromFloats(float[] values, int[] shape, WeightFormat format) {
        Shape s = shape(shape);
        int rows = shape.length == 0 ? 1 : shape[0];
        int perRow = values.length / Math.max(1, rows);
        switch (format) {
            case F32:
                return new DenseWeight(NativeBytes.create(manager, s, DataType.FLOAT32,
                        (r, out) -> {
                            out.asFloatBuffer().put(values, r * perRow, perRow);
                            out.position(out.position() + perRow * 4);
                        }),
                        WeightFormat.F32, null);
            case F16:
            case BF16:
                boolean bf = format == WeightFormat.BF16;
                Shape held = bf ? s.addAll(new Shape(2)) : s;
                NDArray bits = NativeBytes.create(manager, held, bf ? DataType.UINT8 : DataType.FLOAT16, (r, out) -> {
                    for (int i = r * perRow, e = i + perRow; i < e; i++) {
                        out.putShort(bf ? HalfFloats.floatToBf16(values[i]) : HalfFloats.floatToF16(values[i]));
                    }
                });
                return new DenseWeight(bits, format, bf ? table() : null);
            case Q8_0:
            case Q4_0:
            case Q4_1:
                BlockQuantizer.Blocks b = BlockQuantizer.quantize(values, format);
                int blocksPerRow = perRow / BlockWeight.BLOCK;
                int qPerBlock = format == WeightFormat.Q8_0 ? 32 : 16;
                return blocks(format, rows, perRow,
                        (r, out) -> out.put(b.quants(), r * blocksPerRow * qPerBlock, blocksPerRow * qPerBlock),
                        (r, out) -> putShorts(out, b.scales(), r * blocksPerRow, blocksPerRow),
                        b.mins() == null ? null : (r, out) -> putShorts(out, b.mins(), r * blocksPerRow, blocksPerRow));
            default:
                throw new IllegalArgumentException("no stored form for " + format);
        }
    }

    /**
     * Returns whether {@link #fromGguf} keeps a GGUF type as it is.
     *
     * @param type the tensor's type
     * @return true for F32, F16, BF16, Q8_0, Q4_0 and Q4_1
     */
    public static boolean keepsAsStored(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_1 -> true;
            default -> false;
        };
    }

    /**
     * Returns the weight format of a GGUF type that {@link #keepsAsStored} keeps.
     *
     * @param type the type
     * @return the format
     */
    public static WeightFormat formatOf(GgmlType type) {
        return switch (type) {
            case F32 -> WeightFormat.F32;
            case F16 -> WeightFormat.F16;
            case BF16 -> WeightFormat.BF16;
            case Q8_0 -> WeightFormat.Q8_0;
            case Q4_0 -> WeightFormat.Q4_0;
            case Q4_1 -> WeightFormat.Q4_1;
            default -> throw new IllegalArgumentException("GGUF type " + type + " is not kept as stored");
        };
    }

    /**
     * Copies a GGUF tensor's bytes into native arrays, keeping its type.
     *
     * @param raw the tensor's bytes (little-endian; a mapped buffer is read in place)
     * @param type its type ({@link #keepsAsStored})
     * @param shape the engine-layout shape ({@code [rows, cols]} or {@code [n]})
     * @param sourceRow the GGUF row holding each engine row (the rotary reordering of q and k; identity otherwise)
     * @return the weight
     */
    public StoredWeight fromGguf(ByteBuffer raw, GgmlType type, int[] shape, IntUnaryOperator sourceRow) {
        int rows = shape.length == 1 ? 1 : shape[0];
        int cols = shape[shape.length - 1];
        long rowBytes = type.byteSize(cols);
        WeightFormat format = formatOf(type);
        if (!format.isBlockQuantized()) {
            DataType dt = switch (format) {
                case F32 -> DataType.FLOAT32;
                case F16 -> DataType.FLOAT16;
                default -> DataType.UINT8;
            };
            Shape held = format == WeightFormat.BF16 ? shape(shape).addAll(new Shape(2)) : shape(shape);
            NDArray a = NativeBytes.create(manager, held, dt,
                    (r, out) -> copy(raw, sourceRow.applyAsInt(r) * rowBytes, rowBytes, out));
            return new DenseWeight(a, format, format == WeightFormat.BF16 ? table() : null);
        }
        int blocksPerRow = cols / BlockWeight.BLOCK;
        int typeSize = type.typeSize();
        int header = type == GgmlType.Q4_1 ? 4 : 2;
        int qBytes = typeSize - header;
        return blocks(format, rows, cols,
                (r, out) -> {
                    long base = sourceRow.applyAsInt(r) * rowBytes;
                    for (int b = 0; b < blocksPerRow; b++) {
                        copy(raw, base + (long) b * typeSize + header, qBytes, out);
                    }
                },
                (r, out) -> {
                    long base = sourceRow.applyAsInt(r) * rowBytes;
                    for (int b = 0; b < blocksPerRow; b++) {
                        out.putShort(raw.getShort(Math.toIntExact(base + (long) b * typeSize)));
                    }
                },
                type != GgmlType.Q4_1 ? null : (r, out) -> {
                    long base = sourceRow.applyAsInt(r) * rowBytes;
                    for (int b = 0; b < blocksPerRow; b++) {
                        out.putShort(raw.getShort(Math.toIntExact(base + (long) b * typeSize + 2)));
                    }
                });
    }

    /**
     * Creates a block-quantised matrix from writers of its fields.
     *
     * @param format Q8_0, Q4_0 or Q4_1
     * @param rows the rows
     * @param cols the columns, a multiple of 32
     * @param quants writes a row's quants (32 signed bytes a block for Q8_0, 16 packed bytes for Q4)
     * @param scales writes a row's f16 scales
     * @param mins writes a row's f16 minima (Q4_1 only, else null)
     * @return the weight
     */
    public StoredWeight blocks(WeightFormat format, int rows, int cols, NativeBytes.RowWriter quants,
            NativeBytes.RowWriter scales, NativeBytes.RowWriter mins) {
        if (cols % BlockWeight.BLOCK != 0) {
            throw new IllegalArgumentException(cols + " columns are not whole blocks of 32");
        }
        int nb = cols / BlockWeight.BLOCK;
        boolean q8 = format == WeightFormat.Q8_0;
        NDArray q = NativeBytes.create(manager, new Shape(rows, nb, q8 ? 32 : 16), q8 ? DataType.INT8 : DataType.UINT8,
                quants);
        NDArray d = null;
        NDArray m = null;
        try {
            d = NativeBytes.create(manager, new Shape(rows, nb, 1), DataType.FLOAT16, scales);
            m = mins == null ? null : NativeBytes.create(manager, new Shape(rows, nb, 1), DataType.FLOAT16, mins);
            return new BlockWeight(format, new Shape(rows, cols), q, d, m, q8 ? null : nibbles());
        } catch (RuntimeException e) {
            q.close();
            if (d != null) {
                d.close();
            }
            throw e;
        }
    }

    private Bf16Table table() {
        if (table == null) {
            table = new Bf16Table(manager);
        }
        return table;
    }

    private NibbleTable nibbles() {
        if (nibbles == null) {
            nibbles = new NibbleTable(manager);
        }
        return nibbles;
    }

    private static Shape shape(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return new Shape(s);
    }

    private static void copy(ByteBuffer raw, long from, long length, ByteBuffer out) {
        out.put(raw.slice(Math.toIntExact(from), Math.toIntExact(length)));
    }

    private static void putShorts(ByteBuffer out, short[] v, int from, int n) {
        for (int i = from, e = from + n; i < e; i++) {
            out.putShort(v[i]);
        }
    }

    /** Frees the bfloat16 table; the weights themselves close with their manager. */
    @Override
    public void close() {
        if (table != null) {
            table.close();
        }
        if (nibbles != null) {
            nibbles.close();
        }
    }
}
