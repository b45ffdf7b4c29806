/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {
    @TempDir
    Path dir;

    /** Writes a file from a raw header text and data bytes (the header length is the text's length). */
    private Path raw(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        Path f = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(f, out.toByteArray());
        return f;
    }

    private Path raw(String header, int dataBytes) throws IOException {
        return raw(header, new byte[dataBytes]);
    }

    private static void assertMalformed(Path f, String... parts) {
        var t = assertThatThrownBy(() -> SafetensorsReader.open(f).close()).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("malformed safetensors file " + f);
        for (String p : parts) {
            t.hasMessageContaining(p);
        }
    }

    @Test
    void readsAFileWrittenByPython() throws IOException {
        Path f = dir.resolve("python_written.safetensors");
        try (InputStream in = getClass().getResourceAsStream("python_written.safetensors")) {
            Files.copy(in, f);
        }
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertThat(r.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("source", "python stdlib"));
            // data order, not header order
            assertThat(r.names()).containsExactly("d.i64", "b.f16", "e.empty", "a.f32", "c.bf16");
            assertThat(r.dtype("a.f32")).isEqualTo(DType.F32);
            assertThat(r.shape("a.f32")).containsExactly(2, 3);
            assertThat(r.read("a.f32").data()).containsExactly(-1f, -0.5f, 0f, 0.5f, 1f, 1.5f);
            assertThat(r.read("b.f16").data()).containsExactly(1f, -2.5f, 65504f, 0x1p-24f);
            assertThat(r.read("c.bf16").data()).containsExactly(1f, -0.5f, 3.140625f, 1.5703125f * 0x1p99f);
            assertThat(r.readLongs("d.i64")).containsExactly(-1L, 0L, 1L << 40);
            assertThat(r.read("e.empty").shape()).containsExactly(0, 4);
            assertThat(r.readAll().names()).containsExactly("b.f16", "e.empty", "a.f32", "c.bf16");
            assertThat(r.contains("d.i64")).isTrue();
            assertThat(r.contains("z")).isFalse();
            assertThatThrownBy(() -> r.read("d.i64")).isInstanceOf(FedbiotException.class)
                    .hasMessageContaining("'d.i64' has dtype I64");
            assertThatThrownBy(() -> r.readLongs("a.f32")).isInstanceOf(FedbiotException.class)
                    .hasMessageContaining("'a.f32' has dtype F32");
            assertThatThrownBy(() -> r.read("nope")).isInstanceOf(FedbiotException.class)
                    .hasMessageContaining(f + ": no tensor named 'nope'");
        }
    }

    @Test
    void readsF64AndI32() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putDouble(0.1).putDouble(-3.0).putInt(7).putInt(-9);
        Path f = raw("{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"y\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]}}", b.array());
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertThat(r.read("x").data()).containsExactly(0.1f, -3f);
            assertThat(r.readLongs("y")).containsExactly(7L, -9L);
            assertThat(r.metadata()).isEmpty();
        }
    }

    @Test
    void readsTensorsLargerThanOneChunk() throws IOException {
        int n = 700_000; // 2.8 MB of F32 and 1.4 MB of BF16: several 1 MiB reads each
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i);
        }
        NamedTensors t = NamedTensors.builder().add("big", new Tensor(new int[] {700, 1000}, v)).build();
        Path f32 = dir.resolve("f32.safetensors");
        Path bf16 = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(f32, t, Map.of());
        SafetensorsWriter.write(bf16, t, Map.of(), DType.BF16);
        try (SafetensorsReader r = SafetensorsReader.open(f32); SafetensorsReader s = SafetensorsReader.open(bf16)) {
            assertThat(r.read("big")).isEqualTo(t.get("big"));
            float[] b = s.read("big").data();
            for (int i = 0; i < n; i += 997) {
                assertThat(b[i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i])));
            }
            assertThat(b[n - 1]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[n - 1])));
        }
    }

    @Test
    void closedReaderRefusesReads() throws IOException {
        Path f = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        SafetensorsReader r = SafetensorsReader.open(f);
        r.close();
        r.close();
        assertThatThrownBy(() -> r.read("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(r.shape("x")).containsExactly(1); // the header stays available
    }

    @Test
    void rejectsAMissingFile() {
        Path f = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SafetensorsReader.open(f)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("cannot open safetensors file " + f);
    }

    @Test
    void rejectsTruncatedFiles() throws IOException {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertMalformed(tiny, "file is 3 bytes, shorter than the 8-byte header length");
        // the last tensor's data is cut off
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10),
                "tensor 'w'", "[0, 16]", "outside the data section of 10 bytes");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFile() throws IOException {
        Path f = dir.resolve("long.safetensors");
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        b.put("{}".getBytes(StandardCharsets.US_ASCII));
        Files.write(f, b.array());
        assertMalformed(f, "header length 1000 exceeds the file size 20");
        // a negative (huge unsigned) length is reported as such
        Path neg = dir.resolve("neg.safetensors");
        Files.write(neg, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array());
        assertMalformed(neg, "header length 18446744073709551615 is outside [2, ");
    }

    @Test
    void rejectsAHeaderOverTheLimit() throws IOException {
        Path f = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        assertThatThrownBy(() -> SafetensorsReader.open(f, 16)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("is outside [2, 16]");
        assertThatThrownBy(() -> SafetensorsReader.open(f, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsInvalidJson() throws IOException {
        assertMalformed(raw("{\"x\": {\"dtype\": ", 0), "header is not valid JSON");
        assertMalformed(raw("[1, 2, 3]", 0), "header is not a JSON object");
        assertMalformed(raw("{} {}", 0), "header is not valid JSON");
        assertMalformed(raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "not valid JSON", "Duplicate field 'x'");
    }

    @Test
    void rejectsBadEntries() throws IOException {
        assertMalformed(raw("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
                "tensor 'w'", "unsupported dtype 'F8_E4M3'");
        assertMalformed(raw("{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "dtype must be a string");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "bad dimension -2");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "bad dimension 2.5");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "bad dimension \"2\"");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "bad dimension 3000000000");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "shape must be an array");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "tensor 'w' needs dtype, shape and data_offsets");
        assertMalformed(raw("{\"w\":[1]}", 8), "tensor 'w' needs dtype");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8),
                "tensor 'w'", "data_offsets must be [begin, end]");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}", 8),
                "tensor 'w'", "data_offsets must be [begin, end]");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
                "tensor 'w'", "[8, 0]", "outside the data section");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", 8),
                "tensor 'w'", "outside the data section");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "8 bytes do not match F32 shape [3] (12 bytes)");
        assertMalformed(raw("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2, 2],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w'", "4 bytes do not match BF16 shape [2, 2] (8 bytes)");
        assertMalformed(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,8]}}", 8), "tensor 'w'", "too many elements");
        assertMalformed(raw("{\"\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "empty name");
    }

    @Test
    void rejectsOverlapsHolesAndTrailingBytes() throws IOException {
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "tensor 'b' starts at byte 4 but the previous tensor ends at 8 (overlap)");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20),
                "tensor 'b' starts at byte 12 but the previous tensor ends at 8 (hole)");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "tensor 'a' starts at byte 4 but the previous tensor ends at 0 (hole)");
        assertMalformed(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12),
                "tensors cover 8 bytes but the data section holds 12");
    }

    @Test
    void rejectsNonStringMetadata() throws IOException {
        assertMalformed(raw("{\"__metadata__\":{\"format\":1}}", 0), "__metadata__ value of 'format' must be a string");
        assertMalformed(raw("{\"__metadata__\":[\"pt\"]}", 0), "__metadata__ must be an object of strings");
        try (SafetensorsReader r = SafetensorsReader.open(raw("{\"__metadata__\":{\"format\":\"pt\"}}   ", 0))) {
            assertThat(r.metadata()).containsEntry("format", "pt");
            assertThat(r.names()).isEmpty();
        }
    }
}
