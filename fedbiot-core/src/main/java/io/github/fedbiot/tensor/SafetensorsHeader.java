/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a {@code .safetensors} file: where the data starts, each tensor's entry in file order,
 * and the string metadata. Validation is all-or-nothing: a header that {@link #read} returns has byte ranges that
 * lie in the file, match their dtype and shape, and tile the data section without overlap or hole.
 *
 * @param dataStart the file offset of the data section
 * @param entries the tensors by name, in file order
 * @param metadata the {@code __metadata__} map (empty if absent)
 */
record SafetensorsHeader(long dataStart, Map<String, SafetensorsHeader.Entry> entries, Map<String, String> metadata) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * One tensor's header entry.
     *
     * @param name the tensor name
     * @param dtype the stored element type
     * @param shape the dimensions
     * @param begin the first byte, relative to the data section
     * @param end one past the last byte
     */
    record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    /**
     * Reads and validates the header.
     *
     * @param file the file, for messages
     * @param ch the open channel
     * @param maxHeaderBytes the largest header accepted
     * @return the header
     * @throws FedbiotException naming the file and the tensor at fault
     */
    static SafetensorsHeader read(Path file, FileChannel ch, long maxHeaderBytes) {
        try {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > maxHeaderBytes) {
                throw bad(file, "header length " + Long.toUnsignedString(headerLen) + " is outside [2, "
                        + maxHeaderBytes + "]");
            }
            if (8 + headerLen > size) {
                throw bad(file, "header length " + headerLen + " exceeds the file size " + size + " (truncated?)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(hb.array());
            } catch (JsonProcessingException e) {
                throw bad(file, "header is not valid JSON: " + e.getOriginalMessage());
            }
            if (header == null || !header.isObject()) {
                throw bad(file, "header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> list = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    if (!f.getValue().isObject()) {
                        throw bad(file, "__metadata__ must be an object of strings (found " + f.getValue() + ")");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> m = f.getValue().properties().iterator(); m.hasNext(); ) {
                        Map.Entry<String, JsonNode> kv = m.next();
                        if (!kv.getValue().isTextual()) {
                            throw bad(file, "__metadata__ value of '" + kv.getKey() + "' must be a string (found "
                                    + kv.getValue() + ")");
                        }
                        metadata.put(kv.getKey(), kv.getValue().textValue());
                    }
                    continue;
                }
                if (f.getKey().isEmpty()) {
                    throw bad(file, "a tensor has an empty name");
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
            return new SafetensorsHeader(dataStart, Collections.unmodifiableMap(entries),
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
            if (!n.get("dtype").isTextual()) {
                throw new IllegalArgumentException("dtype must be a string (found " + n.get("dtype") + ")");
            }
            dtype = DType.parse(n.get("dtype").textValue());
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
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) {
                throw bad(file, "tensor '" + name + "': bad dimension " + d + " in shape " + s
                        + " (dimensions are integers in [0, " + Integer.MAX_VALUE + "])");
            }
            shape[i] = d.asInt();
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException e) {
                throw bad(file, "tensor '" + name + "': shape " + s + " has too many elements");
            }
        }
        JsonNode o = n.get("data_offsets");
        if (!o.isArray() || o.size() != 2 || !isLong(o.get(0)) || !isLong(o.get(1))) {
            throw bad(file, "tensor '" + name + "': data_offsets must be [begin, end] integers (found " + o + ")");
        }
        long begin = o.get(0).asLong();
        long end = o.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw bad(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] lie outside the data section of " + dataLen + " bytes");
        }
        if (numel > Long.MAX_VALUE / dtype.bytes() || end - begin != numel * dtype.bytes()) {
            throw bad(file, "tensor '" + name + "': " + (end - begin) + " bytes do not match " + dtype + " shape "
                    + Arrays.toString(shape) + " (" + numel * dtype.bytes() + " bytes)");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static boolean isLong(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong();
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int start = buf.position();
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position() - start);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    static FedbiotException bad(Path file, String what) {
        return new FedbiotException("malformed safetensors file " + file + ": " + what);
    }
}
