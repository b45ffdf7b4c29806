/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>The header is validated when the file is opened (size limit, dtypes, shapes, byte ranges that lie in
 * the file, match the dtype and shape, and neither overlap nor leave holes; no duplicate keys, string
 * metadata), so a corrupt or truncated file fails at once with a message naming the file and the tensor.
 * Tensor data is read one tensor at a time with positional reads at long offsets (files over 2 GB work, and
 * reads may run on several threads at once); floating-point tensors are converted to float32 on the Java heap
 * (BF16 and F16 are widened exactly, F64 rounded to nearest). After {@link #close()} every read throws
 * {@link IllegalStateException}.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** The default limit on the JSON header size (100 MB, as the reference implementation uses). */
    public static final long DEFAULT_MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final int CHUNK_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, SafetensorsHeader.Entry> entries;
    private final Map<String, String> metadata;
    private volatile boolean closed;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.dataStart = header.dataStart();
        this.entries = header.entries();
        this.metadata = header.metadata();
    }

    /**
     * Opens and validates a file with the default header limit.
     *
     * @param file the .safetensors file
     * @return the reader, to be closed by the caller
     * @throws FedbiotException if the file cannot be read or is malformed
     */
    public static SafetensorsReader open(Path file) {
        return open(file, DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * Opens and validates a file.
     *
     * @param file the .safetensors file
     * @param maxHeaderBytes the largest header accepted, in [2, {@code Integer.MAX_VALUE - 8}]
     * @return the reader, to be closed by the caller
     * @throws FedbiotException if the file cannot be read or is malformed
     */
    public static SafetensorsReader open(Path file, long maxHeaderBytes) {
        if (maxHeaderBytes < 2 || maxHeaderBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [2, " + (Integer.MAX_VALUE - 8)
                    + "] (found " + maxHeaderBytes + ")");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new FedbiotException("cannot open safetensors file " + file + ": " + e.getMessage(), e);
        }
        try {
            return new SafetensorsReader(file, ch, SafetensorsHeader.read(file, ch, maxHeaderBytes));
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Returns the tensor names in file order. @return the names */
    public Set<String> names() {
        return entries.keySet();
    }

    /** Returns the {@code __metadata__} map (empty if absent). @return the metadata */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns whether a tensor exists.
     *
     * @param name the tensor name
     * @return true if present
     */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * Returns a tensor's shape.
     *
     * @param name the tensor name
     * @return the shape
     */
    public int[] shape(String name) {
        return entry(name).shape().clone();
    }

    /**
     * Returns a tensor's stored dtype.
     *
     * @param name the tensor name
     * @return the dtype
     */
    public DType dtype(String name) {
        return entry(name).dtype();
    }

    /**
     * Reads a floating-point tensor as float32.
     *
     * @param name the tensor name
     * @return the tensor on the heap
     * @throws FedbiotException if it is not a floating-point tensor or cannot be read
     */
    public Tensor read(String name) {
        SafetensorsHeader.Entry e = entry(name);
        if (!e.dtype().isFloatingPoint()) {
            throw new FedbiotException(file + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", not a floating-point type");
        }
        float[] out = new float[elementCount(e)];
        int[] at = {0};
        stream(e, buf -> {
            int i = at[0];
            switch (e.dtype()) {
                case F32 -> {
                    int n = buf.remaining() / 4;
                    buf.asFloatBuffer().get(out, i, n);
                    i += n;
                }
                case BF16 -> {
                    while (buf.hasRemaining()) {
                        out[i++] = HalfFloats.bf16ToFloat(buf.getShort());
                    }
                }
                case F16 -> {
                    while (buf.hasRemaining()) {
                        out[i++] = HalfFloats.f16ToFloat(buf.getShort());
                    }
                }
                case F64 -> {
                    while (buf.hasRemaining()) {
                        out[i++] = (float) buf.getDouble();
                    }
                }
                default -> throw new IllegalStateException(e.dtype().toString());
            }
            at[0] = i;
        });
        return new Tensor(e.shape(), out);
    }

    /**
     * Reads an integer tensor (I64 or I32) as longs.
     *
     * @param name the tensor name
     * @return the values in row-major order
     * @throws FedbiotException if it is not an integer tensor or cannot be read
     */
    public long[] readLongs(String name) {
        SafetensorsHeader.Entry e = entry(name);
        if (e.dtype() != DType.I64 && e.dtype() != DType.I32) {
            throw new FedbiotException(file + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", not an integer type");
        }
        long[] out = new long[elementCount(e)];
        int[] at = {0};
        stream(e, buf -> {
            int i = at[0];
            if (e.dtype() == DType.I64) {
                int n = buf.remaining() / 8;
                buf.asLongBuffer().get(out, i, n);
                i += n;
            } else {
                while (buf.hasRemaining()) {
                    out[i++] = buf.getInt();
                }
            }
            at[0] = i;
        });
        return out;
    }

    /**
     * Reads every floating-point tensor.
     *
     * @return the tensors in file order
     */
    public NamedTensors readAll() {
        NamedTensors.Builder b = NamedTensors.builder();
        for (SafetensorsHeader.Entry e : entries.values()) {
            if (e.dtype().isFloatingPoint()) {
                b.add(e.name(), read(e.name()));
            }
        }
        return b.build();
    }

    private int elementCount(SafetensorsHeader.Entry e) {
        long n = Tensor.numel(e.shape());
        if (n > Integer.MAX_VALUE - 8) {
            throw new FedbiotException(file + ": tensor '" + e.name() + "' has " + n
                    + " elements; more than a Java array holds");
        }
        return (int) n;
    }

    /** Feeds the tensor's bytes, little-endian, in chunks of whole elements. */
    private void stream(SafetensorsHeader.Entry e, Consumer<ByteBuffer> sink) {
        if (closed) {
            throw new IllegalStateException("safetensors reader of " + file + " is closed");
        }
        int elem = e.dtype().bytes();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES / elem * elem, e.end() - e.begin()))
                .order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (long pos = e.begin(); pos < e.end(); ) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), e.end() - pos));
                SafetensorsHeader.readFully(channel, buf, dataStart + pos);
                pos += buf.limit();
                buf.flip();
                sink.accept(buf);
            }
        } catch (ClosedByInterruptException ex) {
            // FileChannel closes itself when a reading thread is interrupted
            closed = true;
            Thread.currentThread().interrupt();
            throw new FedbiotException("interrupted while reading tensor '" + e.name() + "' of " + file
                    + "; the reader is closed", ex);
        } catch (ClosedChannelException ex) {
            throw new IllegalStateException("safetensors reader of " + file + " is closed", ex);
        } catch (IOException ex) {
            throw new FedbiotException("cannot read tensor '" + e.name() + "' of " + file + ": " + ex.getMessage()
                    + " (was the file changed after it was opened?)", ex);
        }
    }

    private SafetensorsHeader.Entry entry(String name) {
        SafetensorsHeader.Entry e = entries.get(name);
        if (e == null) {
            throw new FedbiotException(file + ": no tensor named '" + name + "'");
        }
        return e;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }

    /** Closes the file; later reads throw {@link IllegalStateException}. Closing twice is harmless. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
    }
}
