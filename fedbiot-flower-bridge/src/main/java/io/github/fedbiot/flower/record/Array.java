/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import io.github.fedbiot.tensor.HalfFloats;
import io.github.fedbiot.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One array of an {@link ArrayRecord}, as Flower's {@code flwr.app.Array}: NumPy dtype name, shape, serialization
 * type ({@code "numpy.ndarray"}) and the {@code .npy} bytes.
 *
 * <p>An instance is immutable and always consistent: the {@code .npy} header agrees with {@link #dtype()} and
 * {@link #shape()}, and the data length with both. Arrays received from a SuperLink are checked by
 * {@link #of(String, int[], String, byte[])}, which throws {@link RecordException} naming the mismatch.
 */
public final class Array {
    /** The serialization type Flower uses for NumPy arrays. */
    public static final String STYPE_NUMPY = "numpy.ndarray";

    private final NumpyDType dtype;
    private final int[] shape;
    private final byte[] npy;

    private Array(NumpyDType dtype, int[] shape, byte[] npy) {
        this.dtype = dtype;
        this.shape = shape;
        this.npy = npy;
    }

    /**
     * Returns an array from Flower's four fields, checking them against each other.
     *
     * @param dtype the NumPy dtype name
     * @param shape the dimensions
     * @param stype the serialization type; only {@value #STYPE_NUMPY} is supported
     * @param data the {@code .npy} bytes
     * @return the array
     * @throws RecordException if a field is unsupported or the {@code .npy} header disagrees with dtype or shape
     */
    public static Array of(String dtype, int[] shape, String stype, byte[] data) {
        return fromParts(dtype, shape, stype, List.of(ByteBuffer.wrap(data)));
    }

    /**
     * Returns an array from Flower's four fields, its {@code .npy} bytes given in parts (e.g. the bodies of
     * Flower's {@code ArrayChunk} objects, in order), checking the fields against each other. The parts are copied
     * once, into the array's own storage; their positions and limits are left as they were.
     *
     * @param dtype the NumPy dtype name
     * @param shape the dimensions
     * @param stype the serialization type; only {@value #STYPE_NUMPY} is supported
     * @param parts the {@code .npy} bytes, from each part's position to its limit
     * @return the array
     * @throws RecordException if a field is unsupported, the parts exceed 2 GiB or the {@code .npy} header
     *     disagrees with dtype or shape
     */
    public static Array fromParts(String dtype, int[] shape, String stype, List<ByteBuffer> parts) {
        NumpyDType declared = isLegacy(dtype, shape) ? null : declared(dtype, stype);
        long total = 0;
        for (ByteBuffer p : parts) {
            total += p.remaining();
        }
        byte[] data = new byte[checkedLength(total)];
        int at = 0;
        for (ByteBuffer p : parts) {
            int n = p.remaining();
            p.duplicate().get(data, at, n);
            at += n;
        }
        Npy.Parsed parsed = Npy.read(data);
        if (declared == null) {
            declared(parsed.dtype().numpyName(), stype);
            return new Array(parsed.dtype(), parsed.shape().clone(), data);
        }
        check(dtype, declared, shape, parsed.dtype(), parsed.shape());
        return new Array(declared, shape.clone(), data);
    }

    /**
     * Returns whether dtype and shape are left blank, as Flower's legacy {@code Parameters} conversion
     * ({@code parameters_to_arrayrecord}, used by {@code DefaultWorkflow} and {@code SecAggPlusWorkflow}) leaves
     * them: the {@code .npy} header is then the only description of the array, and is taken as it is.
     *
     * @param dtype the declared dtype name
     * @param shape the declared dimensions
     * @return true if both are blank
     */
    public static boolean isLegacy(String dtype, int[] shape) {
        return dtype.isEmpty() && shape.length == 0;
    }

    private static NumpyDType declared(String dtype, String stype) {
        if (!STYPE_NUMPY.equals(stype)) {
            throw new RecordException("unsupported array stype '" + stype + "'; expected '" + STYPE_NUMPY + "'");
        }
        return NumpyDType.fromNumpyName(dtype);
    }

    private static int checkedLength(long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new RecordException("array data of " + length + " bytes exceeds the 2 GiB a Java array holds");
        }
        return (int) length;
    }

    private static void check(String dtype, NumpyDType declared, int[] shape, NumpyDType actual, int[] actualShape) {
        if (actual != declared) {
            throw new RecordException("array declares dtype " + dtype + " but its .npy data is " + actual.numpyName());
        }
        if (!Arrays.equals(actualShape, shape)) {
            throw new RecordException("array declares shape " + Arrays.toString(shape) + " but its .npy data has shape "
                    + Arrays.toString(actualShape));
        }
    }

    /**
     * Returns an assembler that builds an array from its {@code .npy} bytes as they arrive in parts (e.g. Flower's
     * {@code ArrayChunk} objects, pulled one by one), once their header is known: storage of the final size is
     * allocated at once, each part is copied into it and can be dropped, so that a large array exists only once
     * while it is received.
     *
     * @param dtype the NumPy dtype name
     * @param shape the dimensions
     * @param stype the serialization type; only {@value #STYPE_NUMPY} is supported
     * @param header the {@code .npy} header, read from the first part (see {@link Npy#readHeader})
     * @return the assembler
     * @throws RecordException if a field is unsupported, the header disagrees with dtype or shape, or the data
     *     exceed what a Java array holds
     */
    public static Assembler assembler(String dtype, int[] shape, String stype, Npy.Header header) {
        if (isLegacy(dtype, shape)) {
            return assembler(header.dtype().numpyName(), header.shape(), stype, header);
        }
        NumpyDType declared = declared(dtype, stype);
        check(dtype, declared, shape, header.dtype(), header.shape());
        return new Assembler(dtype, declared, shape.clone(), checkedLength(header.fileLength()));
    }

    /**
     * Builds one {@link Array} from its {@code .npy} bytes in parts (see {@link #assembler}). Not thread-safe; its
     * storage never leaves it except into the array that {@link #build()} returns, after which it takes no more.
     */
    public static final class Assembler {
        private final String dtypeName;
        private final NumpyDType dtype;
        private final int[] shape;
        private byte[] data;
        private int at;

        private Assembler(String dtypeName, NumpyDType dtype, int[] shape, int length) {
            this.dtypeName = dtypeName;
            this.dtype = dtype;
            this.shape = shape;
            this.data = new byte[length];
        }

        /**
         * Copies the next part (from its position to its limit; the buffer's position is left as it was).
         *
         * @param part the bytes
         * @throws RecordException if the parts exceed the length that the header and the shape give
         * @throws IllegalStateException after {@link #build()}
         */
        public void put(ByteBuffer part) {
            if (data == null) {
                throw new IllegalStateException("the array was built already");
            }
            int n = part.remaining();
            if (n > data.length - at) {
                throw new RecordException(".npy data of shape " + Arrays.toString(shape) + " " + dtypeName
                        + " needs " + data.length + " bytes with its header, found more");
            }
            part.duplicate().get(data, at, n);
            at += n;
        }

        /**
         * Checks the {@code .npy} bytes against dtype and shape and returns the array, which takes the storage
         * without copying it.
         *
         * @return the array
         * @throws RecordException if bytes are missing or the {@code .npy} data disagree with dtype or shape
         * @throws IllegalStateException if called twice
         */
        public Array build() {
            if (data == null) {
                throw new IllegalStateException("the array was built already");
            }
            if (at != data.length) {
                throw new RecordException(".npy data of shape " + Arrays.toString(shape) + " " + dtypeName
                        + " needs " + data.length + " bytes with its header, found " + at);
            }
            Npy.Parsed parsed = Npy.read(data);
            check(dtypeName, dtype, shape, parsed.dtype(), parsed.shape());
            Array a = new Array(dtype, shape, data);
            data = null;
            return a;
        }
    }

    /**
     * Returns an array of raw little-endian elements.
     *
     * @param dtype the element type
     * @param shape the dimensions
     * @param littleEndianData {@code product(shape) * itemSize} bytes in C order
     * @return the array
     */
    public static Array ofRaw(NumpyDType dtype, int[] shape, byte[] littleEndianData) {
        return new Array(dtype, shape.clone(), Npy.write(dtype, shape, littleEndianData));
    }

    /**
     * Returns a float32 array of a tensor.
     *
     * @param tensor the tensor
     * @return the array
     */
    public static Array fromTensor(Tensor tensor) {
        return fromTensor(tensor, NumpyDType.FLOAT32);
    }

    /**
     * Returns an array of a tensor in a floating-point dtype (float16 and float64 are converted from float32).
     *
     * @param tensor the tensor
     * @param dtype {@link NumpyDType#FLOAT16}, {@link NumpyDType#FLOAT32} or {@link NumpyDType#FLOAT64}
     * @return the array
     * @throws IllegalArgumentException if the dtype is not floating point
     */
    public static Array fromTensor(Tensor tensor, NumpyDType dtype) {
        float[] v = tensor.data();
        ByteBuffer b = ByteBuffer.allocate(v.length * dtype.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT16 -> {
                for (float f : v) {
                    b.putShort(HalfFloats.floatToF16(f));
                }
            }
            case FLOAT32 -> b.asFloatBuffer().put(v);
            case FLOAT64 -> {
                for (float f : v) {
                    b.putDouble(f);
                }
            }
            default -> throw new IllegalArgumentException("a tensor converts only to a floating-point dtype, not " + dtype);
        }
        return ofRaw(dtype, tensor.shape(), b.array());
    }

    /**
     * Returns an int64 array.
     *
     * @param values the elements in C order
     * @param shape the dimensions
     * @return the array
     */
    public static Array fromLongs(long[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return ofRaw(NumpyDType.INT64, shape, b.array());
    }

    /**
     * Returns a float64 array.
     *
     * @param values the elements in C order
     * @param shape the dimensions
     * @return the array
     */
    public static Array fromDoubles(double[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return ofRaw(NumpyDType.FLOAT64, shape, b.array());
    }

    /** Returns the element type. @return the dtype */
    public NumpyDType dtype() {
        return dtype;
    }

    /** Returns a copy of the dimensions. @return the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** Returns the serialization type. @return {@value #STYPE_NUMPY} */
    public String stype() {
        return STYPE_NUMPY;
    }

    /** Returns a copy of the {@code .npy} bytes. @return Flower's {@code Array.data} */
    public byte[] npyBytes() {
        return npy.clone();
    }

    /**
     * Returns a read-only view of the {@code .npy} bytes, without copying them (for serializing large arrays).
     *
     * @return a read-only buffer over Flower's {@code Array.data}, position 0, limit {@link #byteSize()}
     */
    public ByteBuffer npyView() {
        return ByteBuffer.wrap(npy).asReadOnlyBuffer();
    }

    /** Returns the number of {@code .npy} bytes. @return the data length */
    public int byteSize() {
        return npy.length;
    }

    /** Returns the number of elements. @return product of the shape */
    public long numel() {
        return Npy.numel(shape);
    }

    /**
     * Returns the elements as a float32 tensor; float16 and float64 are converted.
     *
     * @return the tensor
     * @throws RecordException if the dtype is not floating point
     */
    public Tensor toTensor() {
        ByteBuffer d = Npy.read(npy).data();
        float[] out = new float[Math.toIntExact(numel())];
        switch (dtype) {
            case FLOAT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.f16ToFloat(d.getShort(i * 2));
                }
            }
            case FLOAT32 -> d.asFloatBuffer().get(out);
            case FLOAT64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) d.getDouble(i * 8);
                }
            }
            default -> throw new RecordException("array of dtype " + dtype.numpyName()
                    + " cannot become a float tensor; expected float16, float32 or float64");
        }
        return new Tensor(shape, out);
    }

    /**
     * Returns the elements as doubles (any numeric dtype; bool gives 0 or 1).
     *
     * @return the values in C order
     */
    public double[] toDoubles() {
        ByteBuffer d = Npy.read(npy).data();
        double[] out = new double[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case FLOAT16 -> HalfFloats.f16ToFloat(d.getShort(i * 2));
                case FLOAT32 -> d.getFloat(i * 4);
                case FLOAT64 -> d.getDouble(i * 8);
                case INT8 -> d.get(i);
                case INT16 -> d.getShort(i * 2);
                case INT32 -> d.getInt(i * 4);
                case INT64 -> d.getLong(i * 8);
                case UINT8, BOOL -> d.get(i) & 0xff;
            };
        }
        return out;
    }

    /**
     * Returns the elements of an integer array as longs.
     *
     * @return the values in C order
     * @throws RecordException if the dtype is not an integer type
     */
    public long[] toLongs() {
        ByteBuffer d = Npy.read(npy).data();
        long[] out = new long[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case INT8 -> d.get(i);
                case INT16 -> d.getShort(i * 2);
                case INT32 -> d.getInt(i * 4);
                case INT64 -> d.getLong(i * 8);
                case UINT8, BOOL -> d.get(i) & 0xff;
                default -> throw new RecordException("array of dtype " + dtype.numpyName() + " is not an integer array");
            };
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Array a && dtype == a.dtype && Arrays.equals(shape, a.shape) && Arrays.equals(npy, a.npy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(npy));
    }

    @Override
    public String toString() {
        return "Array[" + dtype.numpyName() + " " + Arrays.toString(shape) + "]";
    }
}
