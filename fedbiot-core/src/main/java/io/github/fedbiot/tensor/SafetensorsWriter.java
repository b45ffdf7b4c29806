/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Writes {@link NamedTensors} as a {@code .safetensors} file (F32, F16 or BF16), atomically, streaming the
 * data tensor by tensor. The header is padded with spaces to a multiple of 8 bytes, as the format advises.
 *
 * <p>F16 and BF16 values are rounded to nearest even; F16 values beyond its range become infinities, as in
 * PyTorch's {@code tensor.half()}. NaN stays NaN.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    /**
     * Writes the tensors as float32.
     *
     * @param file the target file (replaced atomically)
     * @param tensors the tensors, written in their order
     * @param metadata string metadata for {@code __metadata__} (may be empty)
     */
    public static void write(Path file, NamedTensors tensors, Map<String, String> metadata) {
        write(file, tensors, metadata, DType.F32);
    }

    /**
     * Writes the tensors in the given floating-point dtype.
     *
     * @param file the target file (replaced atomically)
     * @param tensors the tensors, written in their order
     * @param metadata string metadata for {@code __metadata__} (may be empty)
     * @param dtype F32, F16 or BF16
     * @throws IllegalArgumentException for another dtype, a tensor named {@code __metadata__} or null metadata
     * @throws FedbiotException if the file cannot be written; an existing file is then left unchanged
     */
    public static void write(Path file, NamedTensors tensors, Map<String, String> metadata, DType dtype) {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("can write F32, F16 or BF16, not " + dtype);
        }
        Objects.requireNonNull(metadata, "metadata (use an empty map for none)");
        metadata.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("safetensors metadata needs non-null keys and values (found " + k
                        + " = " + v + ")");
            }
        });
        if (tensors.contains("__metadata__")) {
            throw new IllegalArgumentException("a tensor cannot be named '__metadata__' in a safetensors file");
        }
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (var e : tensors.asMap().entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            long len = (long) e.getValue().numel() * dtype.bytes();
            t.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new FedbiotException("cannot encode safetensors header: " + e.getMessage(), e);
        }
        int padded = (json.length + 7) / 8 * 8;
        try {
            AtomicFile.write(file, out -> {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
                out.write(len.array());
                out.write(json);
                out.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
                for (Tensor t : tensors.asMap().values()) {
                    writeData(out, t.data(), dtype);
                }
            });
        } catch (IOException e) {
            throw new FedbiotException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeData(OutputStream out, float[] data, DType dtype) throws IOException {
        int chunk = 1 << 16;
        ByteBuffer buf = ByteBuffer.allocate(chunk * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < data.length; start += chunk) {
            buf.clear();
            int end = Math.min(data.length, start + chunk);
            for (int i = start; i < end; i++) {
                switch (dtype) {
                    case F32 -> buf.putFloat(data[i]);
                    case BF16 -> buf.putShort(HalfFloats.floatToBf16(data[i]));
                    default -> buf.putShort(HalfFloats.floatToF16(data[i]));
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
    }
}
