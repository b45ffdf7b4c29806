/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds GGUF files byte by byte for tests, including malformed ones: every field can be set to any value,
 * and offsets are laid out (aligned) unless a test overrides them.
 */
final class GgufBytes {
    int magic = GgufReader.MAGIC;
    int version = 3;
    Long tensorCountOverride;
    Long kvCountOverride;
    int alignment = 32;
    private final List<byte[]> kvs = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();

    /** One tensor: its info fields and its data. */
    static final class Tensor {
        String name;
        long[] dims;
        int typeId;
        Long offsetOverride;
        byte[] data;
    }

    GgufBytes kv(String key, int typeId, byte[] value) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(string(key));
        o.writeBytes(u32(typeId));
        o.writeBytes(value);
        kvs.add(o.toByteArray());
        return this;
    }

    /** Sets the declared key length of the last key-value pair, whatever its key's real length. */
    GgufBytes patchKeyLength(long length) {
        byte[] last = kvs.get(kvs.size() - 1);
        ByteBuffer.wrap(last).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return this;
    }

    /** Returns the number of key-value pairs added so far. */
    int kvCount() {
        return kvs.size();
    }

    /** Returns the number of tensors added so far. */
    int tensorCount() {
        return tensors.size();
    }

    GgufBytes kvString(String key, String value) {
        return kv(key, GgufValueType.STRING.id(), string(value));
    }

    GgufBytes kvU32(String key, long value) {
        return kv(key, GgufValueType.UINT32.id(), u32(value));
    }

    GgufBytes kvF32(String key, float value) {
        return kv(key, GgufValueType.FLOAT32.id(), ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(value).array());
    }

    GgufBytes kvStrings(String key, List<String> values) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(u32(GgufValueType.STRING.id()));
        o.writeBytes(u64(values.size()));
        values.forEach(v -> o.writeBytes(string(v)));
        return kv(key, GgufValueType.ARRAY.id(), o.toByteArray());
    }

    GgufBytes kvI32s(String key, int... values) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(u32(GgufValueType.INT32.id()));
        o.writeBytes(u64(values.length));
        for (int v : values) {
            o.writeBytes(u32(v));
        }
        return kv(key, GgufValueType.ARRAY.id(), o.toByteArray());
    }

    Tensor tensor(String name, GgmlType type, byte[] data, long... dims) {
        return tensor(name, type.id(), data, dims);
    }

    Tensor tensor(String name, int typeId, byte[] data, long... dims) {
        Tensor t = new Tensor();
        t.name = name;
        t.dims = dims;
        t.typeId = typeId;
        t.data = data;
        tensors.add(t);
        return t;
    }

    /** Adds an F32 tensor with values 0, 1, 2, ... in row-major order of {@code shape} (HF order). */
    Tensor f32(String name, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(i);
        }
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[shape.length - 1 - i];
        }
        return tensor(name, GgmlType.F32, b.array(), dims);
    }

    byte[] build() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(u32(magic));
        o.writeBytes(u32(version));
        o.writeBytes(u64(tensorCountOverride != null ? tensorCountOverride : tensors.size()));
        o.writeBytes(u64(kvCountOverride != null ? kvCountOverride : kvs.size()));
        kvs.forEach(o::writeBytes);
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            offsets.add(t.offsetOverride != null ? t.offsetOverride : offset);
            offset = align(offset + t.data.length);
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            o.writeBytes(string(t.name));
            o.writeBytes(u32(t.dims.length));
            for (long d : t.dims) {
                o.writeBytes(u64(d));
            }
            o.writeBytes(u32(t.typeId));
            o.writeBytes(u64(offsets.get(i)));
        }
        while (o.size() % alignment != 0) {
            o.write(0);
        }
        long start = o.size();
        for (int i = 0; i < tensors.size(); i++) {
            if (start + offsets.get(i) - o.size() > 1 << 16) {
                continue; // an overridden offset far past the data: the file ends before it
            }
            while (o.size() < start + offsets.get(i)) {
                o.write(0);
            }
            if (o.size() == start + offsets.get(i)) {
                o.writeBytes(tensors.get(i).data);
            }
        }
        return o.toByteArray();
    }

    private long align(long x) {
        return (x + alignment - 1) / alignment * alignment;
    }

    static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(u64(b.length));
        o.writeBytes(b);
        return o.toByteArray();
    }

    static byte[] u32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
