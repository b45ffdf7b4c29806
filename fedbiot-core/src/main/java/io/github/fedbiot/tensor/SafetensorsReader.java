/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>The header is validated when the file is opened (size limit, dtypes, shapes, byte ranges that lie in
 * the file, match the dtype and shape, and neither overlap nor leave holes), so a corrupt or truncated file
 * fails at once with a message naming the file and the tensor. Tensor data is memory-mapped with long
 * offsets (files over 2 GB work) and read one tensor at a time; floating-point tensors are converted to
 * float32 on the Java heap (BF16 and F16 are widened exactly).
 */
public final class SafetensorsReader implements AutoCloseable {
    /** The default limit on the JSON header size (100 MB, as the reference implementation uses). */
    public static final long DEFAULT_MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    /** One tensor's header entry. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
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
     * @param maxHeaderBytes the largest header accepted
     * @return the reader, to be closed by the caller
     * @throws FedbiotException if the file cannot be read or is malformed
     */
    public static SafetensorsReader open(Path file, long maxHeaderBytes) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new FedbiotException("cannot open safetensors file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(file, ch, maxHeaderBytes);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafetensorsReader parse(Path file, FileChannel ch, long maxHeaderBytes) {
        try {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > maxHeaderBytes) {
                throw bad(file, "header length " + headerLen + " is outside [2, " + maxHeaderBytes + "]");
            }
            if (8 + headerLen > size) {
                throw bad(file, "header length " + headerLen + " exceeds the file size " + size + " (truncated?)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(hb.array());
            } catch (IOException e) {
                throw bad(file, "header is not valid JSON: " + e.getMessage());
            }
            if (header == null || !header.isObject()) {
                throw bad(file, "header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> list = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    if (!f.getValue().isObject()) {
                        throw bad(file, "__metadata__ must be an object of strings");
                    }
                    f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                list.add(entry(file, f.getKey(), f.getValue(), dataLen));
            }
            list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long expected = 0;
            for (Entry e : list) {
                if (e.begin() != expected) {
                    throw bad(file, "tensor '" + e.name() + "' starts at byte " + e.begin() + " but the previous "
                            + "tensor ends at " + expected + (e.begin() < expected ? " (overlap)" : " (hole)"));
                }
                expected = e.end();
            }
            if (expected != dataLen) {
                throw bad(file, "tensors cover " + expected + " bytes but the data section holds " + dataLen);
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            list.forEach(e -> entries.put(e.name(), e));
            return new SafetensorsReader(file, ch, dataStart, Collections.unmodifiableMap(entries),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new FedbiotException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Entry entry(Path file, String name, JsonNode n, long dataLen) {
        if (!n.isObject() || !n.has("dtype") || !n.has("shape") || !n.has("data_offsets")) {
            throw bad(file, "tensor '" + name + "' needs dtype, shape and data_offsets");
        }
        DType dtype;
        try {
            dtype = DType.parse(n.get("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw bad(file, "tensor '" + name + "': " + e.getMessage());
        }
        JsonNode s = n.get("shape");
        if (!s.isArray()) {
            throw bad(file, "tensor '" + name + "': shape must be an array");
        }
        int[] shape = new int[s.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = s.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw bad(file, "tensor '" + name + "': bad dimension " + d + " in shape " + s);
            }
            shape[i] = (int) d.asLong();
            numel = Math.multiplyExact(numel, shape[i]);
        }
        JsonNode o = n.get("data_offsets");
        if (!o.isArray() || o.size() != 2 || !o.get(0).canConvertToLong() || !o.get(1).canConvertToLong()) {
            throw bad(file, "tensor '" + name + "': data_offsets must be [begin, end]");
        }
        long begin = o.get(0).asLong();
        long end = o.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw bad(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] lie outside the data section of " + dataLen + " bytes");
        }
        if (end - begin != numel * dtype.bytes()) {
            throw bad(file, "tensor '" + name + "': " + (end - begin) + " bytes do not match " + dtype + " shape "
                    + Arrays.toString(shape) + " (" + numel * dtype.bytes() + " bytes)");
        }
        return new Entry(name, dtype, shape, begin, end);
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
        Entry e = entry(name);
        if (!e.dtype().isFloatingPoint()) {
            throw new FedbiotException(file + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", not a floating-point type");
        }
        ByteBuffer buf = map(e);
        int n = Math.toIntExact(Tensor.numel(e.shape()));
        float[] out = new float[n];
        switch (e.dtype()) {
            case F32 -> buf.asFloatBuffer().get(out);
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.bf16ToFloat(buf.getShort());
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.f16ToFloat(buf.getShort());
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            default -> throw new IllegalStateException(e.dtype().toString());
        }
        return new Tensor(e.shape(), out);
    }

    /**
     * Reads an integer tensor (I64 or I32) as longs.
     *
     * @param name the tensor name
     * @return the values in row-major order
     */
    public long[] readLongs(String name) {
        Entry e = entry(name);
        ByteBuffer buf = map(e);
        int n = Math.toIntExact(Tensor.numel(e.shape()));
        long[] out = new long[n];
        switch (e.dtype()) {
            case I64 -> buf.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = buf.getInt();
                }
            }
            default -> throw new FedbiotException(file + ": tensor '" + name + "' has dtype " + e.dtype()
                    + ", not an integer type");
        }
        return out;
    }

    /**
     * Reads every floating-point tensor.
     *
     * @return the tensors in file order
     */
    public NamedTensors readAll() {
        NamedTensors.Builder b = NamedTensors.builder();
        for (Entry e : entries.values()) {
            if (e.dtype().isFloatingPoint()) {
                b.add(e.name(), read(e.name()));
            }
        }
        return b.build();
    }

    private ByteBuffer map(Entry e) {
        long len = e.end() - e.begin();
        if (len > Integer.MAX_VALUE) {
            throw new FedbiotException(file + ": tensor '" + e.name() + "' is " + len
                    + " bytes; tensors over 2 GiB are not supported");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), len)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new FedbiotException("cannot read tensor '" + e.name() + "' of " + file + ": " + ex.getMessage(), ex);
        }
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new FedbiotException(file + ": no tensor named '" + name + "'");
        }
        return e;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static FedbiotException bad(Path file, String what) {
        return new FedbiotException("malformed safetensors file " + file + ": " + what);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one to report
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
