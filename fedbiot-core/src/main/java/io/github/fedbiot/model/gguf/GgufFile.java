/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An open, validated GGUF file: its metadata, its tensor table, and access to each tensor's data (mapped from
 * the file with long offsets, one tensor at a time) raw or dequantised to float32. Open one with
 * {@link GgufReader#open(Path)}; close it when done. A closed file throws {@link IllegalStateException}.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final int alignment;
    private final long dataStart;
    private volatile boolean closed;

    GgufFile(Path path, FileChannel channel, int version, Map<String, GgufValue> metadata,
            Map<String, GgufTensorInfo> tensors, int alignment, long dataStart) {
        this.path = path;
        this.channel = channel;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataStart = dataStart;
    }

    /** Returns the file's path. @return the path */
    public Path path() {
        return path;
    }

    /** Returns the format version (2 or 3). @return the version */
    public int version() {
        return version;
    }

    /** Returns the tensor data alignment in bytes. @return the alignment */
    public int alignment() {
        return alignment;
    }

    /** Returns the file offset of the data section. @return the offset */
    public long dataStart() {
        return dataStart;
    }

    /** Returns all metadata, in file order. @return key to value, unmodifiable */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /** Returns the tensor table, in file order. @return name to info, unmodifiable */
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    /**
     * Returns whether a metadata key is present.
     *
     * @param key the key
     * @return true if present
     */
    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    /**
     * Returns a string value.
     *
     * @param key the key
     * @return the value
     * @throws GgufFormatException if the key is missing or not a string
     */
    public String getString(String key) {
        return (String) typed(key, GgufValueType.STRING).value();
    }

    /**
     * Returns a string value, or a default when the key is absent.
     *
     * @param key the key
     * @param dflt the default
     * @return the value
     */
    public String getString(String key, String dflt) {
        return has(key) ? getString(key) : dflt;
    }

    /**
     * Returns an integer value of any integer type that fits an int.
     *
     * @param key the key
     * @return the value
     * @throws GgufFormatException if the key is missing, not an integer, or out of int range
     */
    public int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || metadata.get(key).type() == GgufValueType.UINT64 && v < 0) {
            throw bad(key, "value " + v + " does not fit an int");
        }
        return (int) v;
    }

    /**
     * Returns an integer value, or a default when the key is absent.
     *
     * @param key the key
     * @param dflt the default
     * @return the value
     */
    public int getInt(String key, int dflt) {
        return has(key) ? getInt(key) : dflt;
    }

    /**
     * Returns an integer value of any integer type (a UINT64 above {@code Long.MAX_VALUE} comes back negative).
     *
     * @param key the key
     * @return the value
     * @throws GgufFormatException if the key is missing or not an integer
     */
    public long getLong(String key) {
        GgufValue v = require(key);
        if (!v.type().isInteger()) {
            throw bad(key, "is " + v.type() + ", expected an integer");
        }
        return (Long) v.value();
    }

    /**
     * Returns a float value (FLOAT32 or FLOAT64). A FLOAT32 comes back as the shortest decimal that rounds to
     * it ({@code 1e-5}, not {@code 9.99999974737875e-6}), which is what the model's authors wrote.
     *
     * @param key the key
     * @return the value
     * @throws GgufFormatException if the key is missing or not a float
     */
    public double getDouble(String key) {
        GgufValue v = require(key);
        if (v.type() == GgufValueType.FLOAT32) {
            return Double.parseDouble(Float.toString((float) (double) (Double) v.value()));
        }
        if (v.type() == GgufValueType.FLOAT64) {
            return (Double) v.value();
        }
        throw bad(key, "is " + v.type() + ", expected FLOAT32 or FLOAT64");
    }

    /**
     * Returns a float value, or a default when the key is absent.
     *
     * @param key the key
     * @param dflt the default
     * @return the value
     */
    public double getDouble(String key, double dflt) {
        return has(key) ? getDouble(key) : dflt;
    }

    /**
     * Returns a boolean value, or a default when the key is absent.
     *
     * @param key the key
     * @param dflt the default
     * @return the value
     * @throws GgufFormatException if the value is not a BOOL
     */
    public boolean getBoolean(String key, boolean dflt) {
        return has(key) ? (Boolean) typed(key, GgufValueType.BOOL).value() : dflt;
    }

    /**
     * Returns an array of strings.
     *
     * @param key the key
     * @return the strings
     * @throws GgufFormatException if the key is missing or not an array of strings
     */
    public List<String> getStringList(String key) {
        GgufValue v = typed(key, GgufValueType.ARRAY);
        if (v.elementType() != GgufValueType.STRING) {
            throw bad(key, "is an array of " + v.elementType() + ", expected an array of STRING");
        }
        List<String> out = new ArrayList<>(v.asList().size());
        v.asList().forEach(o -> out.add((String) o));
        return out;
    }

    /**
     * Returns an array of integers of any integer type.
     *
     * @param key the key
     * @return the values
     * @throws GgufFormatException if the key is missing or not an array of integers
     */
    public long[] getLongArray(String key) {
        GgufValue v = typed(key, GgufValueType.ARRAY);
        if (!v.elementType().isInteger()) {
            throw bad(key, "is an array of " + v.elementType() + ", expected an array of integers");
        }
        List<?> l = v.asList();
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) l.get(i);
        }
        return out;
    }

    /**
     * Returns the info of a tensor.
     *
     * @param name the tensor name
     * @return the info
     * @throws GgufFormatException if there is no such tensor
     */
    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) {
            throw new GgufFormatException("GGUF file " + path + ": no tensor named '" + name + "'");
        }
        return t;
    }

    /**
     * Maps a tensor's raw bytes, as stored (little-endian).
     *
     * @param name the tensor name
     * @return a read-only little-endian buffer of {@link GgufTensorInfo#byteSize()} bytes
     * @throws GgufFormatException if there is no such tensor or it is 2 GiB or larger
     */
    public ByteBuffer rawData(String name) {
        checkOpen();
        GgufTensorInfo t = tensor(name);
        if (t.byteSize() > Integer.MAX_VALUE) {
            throw new GgufFormatException("GGUF file " + path + ": tensor '" + name + "' has " + t.byteSize()
                    + " bytes; tensors of 2 GiB or more are not supported");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, t.fileOffset(), t.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new FedbiotException("cannot map tensor '" + name + "' of " + path + ": " + e, e);
        }
    }

    /**
     * Reads a tensor and dequantises it to float32, in row-major shape (see {@link GgufTensorInfo#shape()}).
     *
     * @param name the tensor name
     * @return the tensor
     * @throws GgufFormatException if there is no such tensor, its type is not supported, or it is too large
     */
    public Tensor dequantize(String name) {
        GgufTensorInfo t = tensor(name);
        if (!t.type().isDequantizable()) {
            throw new GgufFormatException("GGUF file " + path + ": tensor '" + name + "' has type " + t.type()
                    + ", which cannot be dequantised (supported: " + GgmlType.dequantizableNames() + ")");
        }
        if (t.count() > Integer.MAX_VALUE - 8) {
            throw new GgufFormatException("GGUF file " + path + ": tensor '" + name + "' has " + t.count()
                    + " values, more than a Java array holds");
        }
        float[] data;
        try {
            data = Dequantizer.dequantize(t.type(), rawData(name), (int) t.count());
        } catch (GgufFormatException e) {
            throw new GgufFormatException("GGUF file " + path + ": tensor '" + name + "': " + e.getMessage());
        }
        return new Tensor(t.shape(), data);
    }

    private GgufValue require(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) {
            throw bad(key, "is missing");
        }
        return v;
    }

    private GgufValue typed(String key, GgufValueType type) {
        GgufValue v = require(key);
        if (v.type() != type) {
            throw bad(key, "is " + v.type() + ", expected " + type);
        }
        return v;
    }

    private GgufFormatException bad(String key, String message) {
        return new GgufFormatException("GGUF file " + path + ": metadata key '" + key + "' " + message);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("GGUF file " + path + " is closed");
        }
    }

    /** Closes the file; mapped buffers handed out stay readable until collected. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new FedbiotException("cannot close " + path + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors]";
    }
}
