/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the header of a GGUF file (versions 2 and 3, little-endian).
 *
 * <p>Layout: the magic {@code GGUF}, a uint32 version, uint64 tensor and key-value counts, the key-value
 * pairs (a string key, a uint32 value type, the value), the tensor infos (a string name, a uint32 number of
 * dimensions, uint64 dimensions innermost first, a uint32 ggml type, a uint64 offset), padding to the
 * alignment, then the data section. The alignment is {@code general.alignment} (a uint32 power of two) or 32.
 *
 * <p>Everything read is checked before it is used: counts and lengths against the bytes left in the file (so
 * a corrupt count fails at once instead of allocating), value and ggml type ids, UTF-8 of strings, unique keys
 * and tensor names, dimensions (1 to 4, positive, a whole number of blocks), offsets (aligned, inside the file,
 * not overlapping). Every error names the file and the field or tensor at fault. The header is read through
 * positional reads with long offsets; tensor data is mapped later, one tensor at a time, by {@link GgufFile}.
 */
public final class GgufReader {
    /** The magic number, the bytes {@code GGUF} read as a little-endian uint32. */
    public static final int MAGIC = 0x46554747;
    /** The alignment of tensor data when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** The metadata key that sets the alignment. */
    public static final String ALIGNMENT_KEY = "general.alignment";
    /** The most dimensions a ggml tensor has. */
    public static final int MAX_DIMS = 4;
    /** The deepest nesting of arrays accepted. */
    static final int MAX_ARRAY_DEPTH = 8;

    private static final int BUFFER_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long bufStart;
    private String context = "header";

    private GgufReader(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        buf.limit(0);
    }

    /**
     * Opens a GGUF file and validates its header and tensor table.
     *
     * @param file the .gguf file
     * @return the open file, to be closed by the caller
     * @throws GgufFormatException if the file is malformed, truncated or of an unsupported version
     * @throws FedbiotException if the file cannot be read
     */
    public static GgufFile open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new FedbiotException("cannot open GGUF file " + file + ": " + e, e);
        }
        try {
            return new GgufReader(file, ch, ch.size()).parse();
        } catch (IOException e) {
            closeQuietly(ch);
            throw new FedbiotException("cannot read GGUF file " + file + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private GgufFile parse() throws IOException {
        if (size < 24) {
            throw bad("file is " + size + " bytes, shorter than the 24-byte GGUF header (truncated or not GGUF)");
        }
        int magic = readInt();
        if (magic != MAGIC) {
            throw bad(String.format("bad magic 0x%08x at offset 0: not a GGUF file (expected the bytes 'GGUF')", magic));
        }
        long version = readUInt32();
        long swapped = Integer.reverseBytes((int) version) & 0xFFFFFFFFL;
        if (version > 0xFFFF && (swapped == 2 || swapped == 3)) {
            throw bad("big-endian GGUF files are not supported (version " + swapped + " stored big-endian)");
        }
        if (version == 1) {
            throw bad("GGUF version 1 is not supported (it has 32-bit counts); convert the file to version 3");
        }
        if (version != 2 && version != 3) {
            throw bad("unsupported GGUF version " + version + " (supported: 2, 3)");
        }
        long tensorCount = readInt64("tensor_count");
        long kvCount = readInt64("metadata_kv_count");
        // Each key-value pair takes at least 8 (key length) + 4 (type) + 1 bytes, each tensor info at least 32.
        requireCount(kvCount, 13, "metadata_kv_count");
        requireCount(tensorCount, 32, "tensor_count");

        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            context = "metadata entry " + i;
            String key = readString();
            context = "metadata key '" + key + "'";
            GgufValueType type = readValueType();
            GgufValue value = readValue(type, 0);
            if (metadata.putIfAbsent(key, value) != null) {
                throw bad("duplicate metadata key '" + key + "'");
            }
        }
        int alignment = alignment(metadata.get(ALIGNMENT_KEY));

        List<long[]> rawDims = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<GgmlType> types = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            context = "tensor info " + i;
            String name = readString();
            context = "tensor '" + name + "'";
            long nDims = readUInt32();
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw bad("has " + nDims + " dimensions (must be 1 to " + MAX_DIMS + ")");
            }
            long[] dims = new long[(int) nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = readInt64("dimension " + d);
                if (dims[d] <= 0) {
                    throw bad("dimension " + d + " is " + dims[d] + " (must be positive)");
                }
            }
            long typeId = readUInt32();
            GgmlType type = GgmlType.fromId(typeId);
            if (type == null) {
                throw bad("has unknown ggml type id " + typeId);
            }
            long offset = readInt64("offset");
            names.add(name);
            rawDims.add(dims);
            types.add(type);
            offsets.add(offset);
        }
        context = "tensor data";
        long dataStart = alignUp(position(), alignment);
        if (tensorCount > 0 && dataStart > size) {
            throw bad("data section would start at " + dataStart + " but the file has " + size + " bytes (truncated)");
        }
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            GgufTensorInfo info = tensorInfo(names.get(i), rawDims.get(i), types.get(i), offsets.get(i), alignment,
                    dataStart);
            if (tensors.putIfAbsent(info.name(), info) != null) {
                throw bad("duplicate tensor name '" + info.name() + "'");
            }
        }
        checkNoOverlap(tensors.values());
        return new GgufFile(file, channel, (int) version, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors), alignment, dataStart);
    }

    private GgufTensorInfo tensorInfo(String name, long[] dims, GgmlType type, long offset, int alignment,
            long dataStart) {
        String where = "tensor '" + name + "' (" + type + " " + Arrays.toString(dims) + ")";
        long count;
        try {
            count = 1;
            for (long d : dims) {
                count = Math.multiplyExact(count, d);
            }
        } catch (ArithmeticException e) {
            throw bad(where + ": the number of values overflows");
        }
        if (dims[0] % type.blockSize() != 0) {
            throw bad(where + ": the innermost dimension " + dims[0] + " is not a multiple of the " + type
                    + " block size " + type.blockSize());
        }
        long bytes;
        try {
            bytes = type.byteSize(count);
        } catch (ArithmeticException e) {
            throw bad(where + ": its byte size overflows");
        }
        if (offset < 0 || offset % alignment != 0) {
            throw bad(where + ": offset " + offset + " is not a multiple of the alignment " + alignment);
        }
        if (offset > size - dataStart || bytes > size - dataStart - offset) {
            throw bad(where + ": its " + bytes + " bytes at data offset " + offset + " (file offset "
                    + (dataStart + offset) + ") run past the end of the file (" + size + " bytes; truncated?)");
        }
        return new GgufTensorInfo(name, dims, type, offset, dataStart + offset, bytes);
    }

    private void checkNoOverlap(Collection<GgufTensorInfo> infos) {
        List<GgufTensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < sorted.size(); i++) {
            GgufTensorInfo a = sorted.get(i - 1);
            GgufTensorInfo b = sorted.get(i);
            if (a.offset() + a.byteSize() > b.offset()) {
                throw bad("tensor '" + b.name() + "' at data offset " + b.offset() + " overlaps tensor '" + a.name()
                        + "' (" + a.offset() + " + " + a.byteSize() + " bytes)");
            }
        }
    }

    private int alignment(GgufValue v) {
        if (v == null) {
            return DEFAULT_ALIGNMENT;
        }
        context = "metadata key '" + ALIGNMENT_KEY + "'";
        if (v.type() != GgufValueType.UINT32) {
            throw bad("must be a UINT32, found " + v.type());
        }
        long a = (Long) v.value();
        if (a <= 0 || Long.bitCount(a) != 1 || a > (1 << 30)) {
            throw bad("must be a power of two, found " + a);
        }
        return (int) a;
    }

    private GgufValue readValue(GgufValueType type, int depth) throws IOException {
        if (type == GgufValueType.ARRAY) {
            if (depth >= MAX_ARRAY_DEPTH) {
                throw bad("arrays nest deeper than " + MAX_ARRAY_DEPTH + " levels");
            }
            GgufValueType elem = readValueType();
            long n = readInt64("array length");
            requireCount(n, elem.minBytes(), "array length");
            List<Object> items = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                GgufValue item = readValue(elem, depth + 1);
                items.add(elem == GgufValueType.ARRAY ? item : item.value());
            }
            return new GgufValue(type, elem, items);
        }
        Object value = switch (type) {
            case UINT8 -> (long) (readBytes(1).get() & 0xFF);
            case INT8 -> (long) readBytes(1).get();
            case UINT16 -> (long) (readBytes(2).getShort() & 0xFFFF);
            case INT16 -> (long) readBytes(2).getShort();
            case UINT32 -> readUInt32();
            case INT32 -> (long) readInt();
            case UINT64, INT64 -> readBytes(8).getLong();
            case FLOAT32 -> (double) readBytes(4).getFloat();
            case FLOAT64 -> readBytes(8).getDouble();
            case BOOL -> {
                int b = readBytes(1).get();
                if (b != 0 && b != 1) {
                    throw bad("boolean byte is " + b + " (must be 0 or 1)");
                }
                yield b == 1;
            }
            case STRING -> readString();
            default -> throw new IllegalStateException(type.toString());
        };
        return new GgufValue(type, null, value);
    }

    private GgufValueType readValueType() throws IOException {
        long id = readUInt32();
        GgufValueType t = GgufValueType.fromId(id);
        if (t == null) {
            throw bad("unknown metadata value type id " + id + " at offset " + (position() - 4));
        }
        return t;
    }

    private String readString() throws IOException {
        long at = position();
        long len = readInt64("string length");
        if (len > size - position()) {
            throw bad("string of " + len + " bytes at offset " + at + " runs past the end of the file (" + size
                    + " bytes; truncated or corrupt)");
        }
        if (len > Integer.MAX_VALUE - 8) {
            throw bad("string of " + len + " bytes at offset " + at + " is too long");
        }
        byte[] bytes = new byte[(int) len];
        int done = 0;
        while (done < bytes.length) {
            int n = Math.min(bytes.length - done, BUFFER_BYTES);
            readBytes(n).get(bytes, done, n);
            done += n;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad("string at offset " + at + " is not valid UTF-8");
        }
    }

    private long readInt64(String what) throws IOException {
        long v = readBytes(8).getLong();
        if (v < 0) {
            throw bad(what + " is " + Long.toUnsignedString(v) + ", too large");
        }
        return v;
    }

    private long readUInt32() throws IOException {
        return readInt() & 0xFFFFFFFFL;
    }

    private int readInt() throws IOException {
        return readBytes(4).getInt();
    }

    private void requireCount(long n, int minBytesEach, String what) {
        long left = size - position();
        if (n > left / Math.max(1, minBytesEach)) {
            throw bad(what + " " + n + " cannot fit in the " + left + " bytes left in the file (corrupt or truncated)");
        }
    }

    /** Returns the buffer positioned at the next {@code n} bytes (n &lt;= buffer size), reading as needed. */
    private ByteBuffer readBytes(int n) throws IOException {
        if (buf.remaining() < n) {
            long pos = position();
            if (n > size - pos) {
                throw bad("needs " + n + " more bytes at offset " + pos + " but the file ends at " + size
                        + " (truncated)");
            }
            buf.compact(); // the unread bytes, which start at file offset pos, move to the buffer's start
            while (buf.position() < n) {
                int r = channel.read(buf, pos + buf.position());
                if (r < 0) {
                    throw bad("unexpected end of file at offset " + (pos + buf.position()));
                }
            }
            buf.flip();
            bufStart = pos;
        }
        return buf;
    }

    private long position() {
        return bufStart + buf.position();
    }

    private static long alignUp(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    private GgufFormatException bad(String message) {
        return new GgufFormatException("GGUF file " + file + ": " + context + ": " + message);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the original error matters more
        }
    }
}
