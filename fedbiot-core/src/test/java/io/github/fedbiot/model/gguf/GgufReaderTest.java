/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader against {@code quant-types.gguf}, written by the Python {@code gguf} package
 * (python/gguf/make_test_files.py), and against malformed files built byte by byte.
 */
class GgufReaderTest {
    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(GgufReaderTest.class.getResource("/gguf/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsMetadataOfEveryValueType() {
        try (GgufFile f = GgufReader.open(resource("quant-types.gguf"))) {
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.alignment()).isEqualTo(64);
            assertThat(f.dataStart() % 64).isZero();
            assertThat(f.getString("general.architecture")).isEqualTo("fedbiot-test");
            assertThat(f.getInt("test.u8")).isEqualTo(200);
            assertThat(f.getInt("test.i8")).isEqualTo(-100);
            assertThat(f.getInt("test.u16")).isEqualTo(60000);
            assertThat(f.getInt("test.i16")).isEqualTo(-30000);
            assertThat(f.getLong("test.u32")).isEqualTo(4_000_000_000L);
            assertThat(f.getInt("test.i32")).isEqualTo(-2_000_000_000);
            assertThat(f.getDouble("test.f32")).isEqualTo(0.1);
            assertThat(Long.toUnsignedString(f.getLong("test.u64"))).isEqualTo("9223372036854775813");
            assertThat(f.getLong("test.i64")).isEqualTo(-(1L << 62));
            assertThat(f.getDouble("test.f64")).isEqualTo(1e-300);
            assertThat(f.getBoolean("test.bool", false)).isTrue();
            assertThat(f.getString("test.string")).isEqualTo("héllo wörld ✓");
            assertThat(f.getLongArray("test.array_i32")).containsExactly(1, -2, 3);
            assertThat(f.getStringList("test.array_str")).containsExactly("a", "bc", "");
            GgufValue nested = f.metadata().get("test.array_nested");
            assertThat(nested.elementType()).isEqualTo(GgufValueType.ARRAY);
            assertThat(nested.asList()).hasSize(2);
            assertThat(((GgufValue) nested.asList().get(0)).asList()).isEqualTo(List.of(1L, 2L));
            assertThat(((GgufValue) nested.asList().get(1)).asList()).isEqualTo(List.of(3L));
        }
    }

    @Test
    void typedGettersNameTheKeyOnMisuse() {
        try (GgufFile f = GgufReader.open(resource("quant-types.gguf"))) {
            assertThatThrownBy(() -> f.getString("test.u8")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("'test.u8' is UINT8, expected STRING");
            assertThatThrownBy(() -> f.getInt("test.u32")).hasMessageContaining("does not fit an int");
            assertThatThrownBy(() -> f.getInt("no.such.key")).hasMessageContaining("'no.such.key' is missing");
            assertThatThrownBy(() -> f.getStringList("test.array_i32"))
                    .hasMessageContaining("array of INT32, expected an array of STRING");
            assertThatThrownBy(() -> f.tensor("nope")).hasMessageContaining("no tensor named 'nope'");
        }
    }

    @Test
    void tensorShapesAreRowMajor() {
        try (GgufFile f = GgufReader.open(resource("quant-types.gguf"))) {
            GgufTensorInfo cube = f.tensor("cube");
            assertThat(cube.dims()).containsExactly(32, 3, 2);
            assertThat(cube.shape()).containsExactly(2, 3, 32);
            assertThat(cube.offset() % 64).isZero();
            Tensor t = f.dequantize("cube");
            assertThat(t.shape()).containsExactly(2, 3, 32);
            for (int i = 0; i < t.numel(); i++) {
                assertThat(t.data()[i]).isEqualTo(i);
            }
        }
    }

    /** Every supported type, dequantised, equals the Python package's own dequantisation bit for bit. */
    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16", "bf16", "q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "q4_k", "q5_k", "q6_k"})
    void dequantisesLikeTheReference(String name) {
        try (GgufFile f = GgufReader.open(resource("quant-types.gguf"))) {
            GgufTensorInfo info = f.tensor(name);
            assertThat(info.type().name()).isEqualToIgnoringCase(name);
            Tensor actual = f.dequantize(name);
            Tensor expected = f.dequantize(name + ".expected");
            assertThat(f.tensor(name + ".expected").type()).isEqualTo(GgmlType.F32);
            assertThat(actual.shape()).containsExactly(2, 512);
            assertThat(expected.isFinite()).isTrue();
            assertThat(expected.squaredNorm()).isPositive();
            for (int i = 0; i < actual.numel(); i++) {
                if (Float.floatToIntBits(actual.data()[i]) != Float.floatToIntBits(expected.data()[i])) {
                    throw new AssertionError(name + " value " + i + ": " + actual.data()[i] + " != expected "
                            + expected.data()[i]);
                }
            }
        }
    }

    @Test
    void rejectsANonGgufFile() throws IOException {
        Path p = write(new byte[64]);
        assertThatThrownBy(() -> GgufReader.open(p)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("bad magic 0x00000000").hasMessageContaining("not a GGUF file");
        Path tiny = write(new byte[] {'G', 'G', 'U', 'F'});
        assertThatThrownBy(() -> GgufReader.open(tiny)).hasMessageContaining("shorter than the 24-byte GGUF header");
    }

    @Test
    void rejectsUnsupportedVersions() throws IOException {
        GgufBytes b = new GgufBytes();
        b.version = 1;
        Path v1 = write(b.build());
        assertThatThrownBy(() -> GgufReader.open(v1)).hasMessageContaining("GGUF version 1 is not supported");
        b.version = 7;
        Path v7 = write(b.build());
        assertThatThrownBy(() -> GgufReader.open(v7)).hasMessageContaining("unsupported GGUF version 7");
        b.version = Integer.reverseBytes(3);
        Path be = write(b.build());
        assertThatThrownBy(() -> GgufReader.open(be)).hasMessageContaining("big-endian GGUF files are not supported");
        b.version = 2;
        Path v2 = write(b.build());
        try (GgufFile f = GgufReader.open(v2)) {
            assertThat(f.version()).isEqualTo(2);
        }
    }

    /** Cutting the real test file anywhere must fail with a message, never an index or buffer exception. */
    @Test
    void rejectsEveryTruncation() throws IOException {
        byte[] full = Files.readAllBytes(resource("quant-types.gguf"));
        int[] cuts = {30, 100, 500, 1000, 1500, 1727, 1800, full.length / 2, full.length - 1};
        for (int cut : cuts) {
            Path p = write(Arrays.copyOf(full, cut));
            assertThatThrownBy(() -> GgufReader.open(p)).as("cut at " + cut).isInstanceOf(GgufFormatException.class)
                    .hasMessageMatching("(?s).*(truncated|past the end|end of file|cannot fit).*");
        }
    }

    @Test
    void rejectsTruncatedTensorDataNamingTheTensor() throws IOException {
        GgufBytes b = new GgufBytes();
        b.f32("a", 4, 8);
        b.f32("b", 4, 8);
        byte[] bytes = b.build();
        Path p = write(Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> GgufReader.open(p)).hasMessageContaining("tensor 'b' (F32 [8, 4])")
                .hasMessageContaining("run past the end of the file");
    }

    @Test
    void rejectsCorruptCounts() throws IOException {
        GgufBytes b = new GgufBytes().kvU32("a", 1);
        b.kvCountOverride = 1L << 40;
        Path p = write(b.build());
        assertThatThrownBy(() -> GgufReader.open(p)).hasMessageContaining("metadata_kv_count 1099511627776 cannot fit");
        GgufBytes c = new GgufBytes();
        c.tensorCountOverride = -1L;
        Path q = write(c.build());
        assertThatThrownBy(() -> GgufReader.open(q)).hasMessageContaining("tensor_count is 18446744073709551615");
        GgufBytes d = new GgufBytes().kv("arr", GgufValueType.ARRAY.id(),
                concat(GgufBytes.u32(GgufValueType.STRING.id()), GgufBytes.u64(1L << 50)));
        Path r = write(d.build());
        assertThatThrownBy(() -> GgufReader.open(r)).hasMessageContaining("metadata key 'arr'")
                .hasMessageContaining("array length 1125899906842624 cannot fit");
    }

    @Test
    void rejectsBadValues() throws IOException {
        Path unknownType = write(new GgufBytes().kv("k", 42, new byte[8]).build());
        assertThatThrownBy(() -> GgufReader.open(unknownType)).hasMessageContaining("metadata key 'k'")
                .hasMessageContaining("unknown metadata value type id 42");
        Path badBool = write(new GgufBytes().kv("flag", GgufValueType.BOOL.id(), new byte[] {2}).build());
        assertThatThrownBy(() -> GgufReader.open(badBool)).hasMessageContaining("'flag'")
                .hasMessageContaining("boolean byte is 2");
        byte[] badUtf8 = concat(GgufBytes.u64(2), new byte[] {(byte) 0xC3, (byte) 0x28});
        Path utf = write(new GgufBytes().kv("s", GgufValueType.STRING.id(), badUtf8).build());
        assertThatThrownBy(() -> GgufReader.open(utf)).hasMessageContaining("not valid UTF-8");
        Path dup = write(new GgufBytes().kvU32("x", 1).kvU32("x", 2).build());
        assertThatThrownBy(() -> GgufReader.open(dup)).hasMessageContaining("duplicate metadata key 'x'");
    }

    @Test
    void rejectsBadAlignment() throws IOException {
        Path p = write(new GgufBytes().kvU32("general.alignment", 48).build());
        assertThatThrownBy(() -> GgufReader.open(p)).hasMessageContaining("general.alignment")
                .hasMessageContaining("must be a power of two, found 48");
        Path q = write(new GgufBytes().kvString("general.alignment", "32").build());
        assertThatThrownBy(() -> GgufReader.open(q)).hasMessageContaining("must be a UINT32, found STRING");
    }

    @Test
    void rejectsBadTensorInfos() throws IOException {
        GgufBytes unknown = new GgufBytes();
        unknown.tensor("w", 99, new byte[16], 4);
        assertThatThrownBy(() -> GgufReader.open(write(unknown.build())))
                .hasMessageContaining("tensor 'w'").hasMessageContaining("unknown ggml type id 99");
        GgufBytes zero = new GgufBytes();
        zero.tensor("w", GgmlType.F32, new byte[0], 4, 0);
        assertThatThrownBy(() -> GgufReader.open(write(zero.build()))).hasMessageContaining("dimension 1 is 0");
        GgufBytes five = new GgufBytes();
        five.tensor("w", GgmlType.F32, new byte[4], 1, 1, 1, 1, 1);
        assertThatThrownBy(() -> GgufReader.open(write(five.build()))).hasMessageContaining("has 5 dimensions");
        GgufBytes block = new GgufBytes();
        block.tensor("w", GgmlType.Q8_0, new byte[34], 16, 2);
        assertThatThrownBy(() -> GgufReader.open(write(block.build())))
                .hasMessageContaining("innermost dimension 16 is not a multiple of the Q8_0 block size 32");
        GgufBytes misaligned = new GgufBytes();
        misaligned.f32("a", 8).offsetOverride = 4L;
        assertThatThrownBy(() -> GgufReader.open(write(misaligned.build())))
                .hasMessageContaining("offset 4 is not a multiple of the alignment 32");
        GgufBytes overlap = new GgufBytes();
        overlap.f32("a", 16);
        overlap.f32("b", 8).offsetOverride = 32L;
        assertThatThrownBy(() -> GgufReader.open(write(overlap.build())))
                .hasMessageContaining("tensor 'b' at data offset 32 overlaps tensor 'a'");
        GgufBytes dup = new GgufBytes();
        dup.f32("a", 8);
        dup.f32("a", 8);
        assertThatThrownBy(() -> GgufReader.open(write(dup.build()))).hasMessageContaining("duplicate tensor name 'a'");
    }

    @Test
    void refusesToDequantiseUnsupportedTypes() throws IOException {
        GgufBytes b = new GgufBytes();
        b.tensor("w", GgmlType.Q2_K, new byte[84], 256);
        try (GgufFile f = GgufReader.open(write(b.build()))) {
            assertThat(f.tensor("w").type()).isEqualTo(GgmlType.Q2_K);
            assertThat(f.rawData("w").remaining()).isEqualTo(84);
            assertThatThrownBy(() -> f.dequantize("w")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("tensor 'w' has type Q2_K, which cannot be dequantised")
                    .hasMessageContaining("supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K, BF16");
        }
    }

    @Test
    void closedFileRefusesReads() throws IOException {
        GgufBytes b = new GgufBytes();
        b.f32("a", 8);
        GgufFile f = GgufReader.open(write(b.build()));
        f.close();
        assertThatThrownBy(() -> f.dequantize("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void tensorCountsAndNamesOfTheFixture() {
        try (GgufFile f = GgufReader.open(resource("quant-types.gguf"))) {
            assertThat(f.tensors()).hasSize(23);
            assertThat(f.tensors().keySet()).startsWith("f32", "f32.expected");
            assertThat(List.copyOf(f.tensors().values()).get(0).fileOffset()).isEqualTo(f.dataStart());
        }
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(tmp, "t", ".gguf");
        Files.write(p, bytes);
        return p;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
