/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import java.util.Arrays;

/**
 * One tensor's entry in a GGUF file.
 *
 * <p>GGUF lists dimensions innermost first (ggml's {@code ne[0]} is the contiguous one), the reverse of the
 * row-major shapes of PyTorch and safetensors: a Hugging Face weight of shape {@code [out, in]} is stored with
 * dims {@code [in, out]}. {@link #shape()} gives the row-major order.
 *
 * @param name the tensor name
 * @param dims the dimensions as stored, innermost first
 * @param type the element type
 * @param offset the start of the data relative to the data section (a multiple of the alignment)
 * @param fileOffset the start of the data in the file
 * @param byteSize the number of bytes of the data
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset, long fileOffset, long byteSize) {

    /** Copies the dimensions. */
    public GgufTensorInfo {
        dims = dims.clone();
    }

    /** Returns a copy of the stored dimensions, innermost first. @return the dims */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Returns the number of values. @return the product of the dims */
    public long count() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Returns the row-major shape (dims reversed), as Hugging Face uses it.
     *
     * @return the shape, outermost first
     * @throws GgufFormatException if a dimension does not fit an int
     */
    public int[] shape() {
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            long d = dims[dims.length - 1 - i];
            if (d > Integer.MAX_VALUE) {
                throw new GgufFormatException("tensor '" + name + "': dimension " + d + " is too large");
            }
            s[i] = (int) d;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims)
                && type == t.type && offset == t.offset && fileOffset == t.fileOffset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape());
    }
}
