/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    /** Values that exercise rounding: ties, subnormals of both formats, overflow, infinities and NaN. */
    private static final float[] SPECIAL = {
        0f, -0f, 1f, -2.5f, 0.1f, (float) Math.PI, 1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 1 + 0x1p-8f, 1 + 3 * 0x1p-8f,
        65504f, 65519f, 65520f, 1e6f, -1e6f, 0x1p-24f, 0x1p-25f, 1.5f * 0x1p-25f, 0x1p-14f, 3e-5f,
        Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC00000)
    };

    private static NamedTensors sample() {
        float[] big = new float[3 * 70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) (Math.sin(i) * Math.pow(10, i % 13 - 6));
        }
        return NamedTensors.builder()
                .add("model.layers.0.self_attn.q_proj.lora_A.weight", new Tensor(new int[] {SPECIAL.length}, SPECIAL))
                .add("scalar", new Tensor(new int[] {}, new float[] {42f}))
                .add("empty", Tensor.zeros(0, 3))
                .add("big", new Tensor(new int[] {3, 70_000}, big))
                .build();
    }

    private static float rounded(float v, DType dtype) {
        return switch (dtype) {
            case F32 -> v;
            case F16 -> HalfFloats.f16ToFloat(HalfFloats.floatToF16(v));
            case BF16 -> HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
            default -> throw new AssertionError(dtype);
        };
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void roundTrips(DType dtype) {
        NamedTensors t = sample();
        Path f = dir.resolve("t.safetensors");
        SafetensorsWriter.write(f, t, Map.of("format", "pt", "note", "ünïcode"), dtype);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertThat(r.metadata()).containsEntry("format", "pt").containsEntry("note", "ünïcode");
            assertThat(r.names()).containsExactlyElementsOf(t.names());
            NamedTensors back = r.readAll();
            assertThat(back.names()).containsExactlyElementsOf(t.names());
            for (String name : t.names()) {
                assertThat(r.dtype(name)).isEqualTo(dtype);
                Tensor in = t.get(name);
                Tensor out = back.get(name);
                assertThat(out.shape()).isEqualTo(in.shape());
                for (int i = 0; i < in.numel(); i++) {
                    float want = rounded(in.data()[i], dtype);
                    if (Float.isNaN(want)) {
                        assertThat(out.data()[i]).as("%s[%d]", name, i).isNaN();
                    } else {
                        assertThat(Float.floatToRawIntBits(out.data()[i])).as("%s[%d] = %s", name, i, in.data()[i])
                                .isEqualTo(Float.floatToRawIntBits(want));
                    }
                }
            }
        }
    }

    @Test
    void roundingOfTheSpecialValues() {
        Path f = dir.resolve("s.safetensors");
        NamedTensors t = NamedTensors.builder().add("s", new Tensor(new int[] {SPECIAL.length}, SPECIAL)).build();
        SafetensorsWriter.write(f, t, Map.of(), DType.F16);
        float[] h;
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            h = r.read("s").data();
        }
        assertThat(h[6]).isEqualTo(1f); // 1 + 2^-11 is a tie: to even
        assertThat(h[7]).isEqualTo(1 + 4 * 0x1p-11f); // 1 + 3 * 2^-11 is a tie: to even, upwards
        assertThat(h[11]).isEqualTo(65504f); // below the overflow threshold
        assertThat(h[12]).isEqualTo(Float.POSITIVE_INFINITY); // 65520 overflows
        assertThat(h[13]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(h[15]).isEqualTo(0x1p-24f); // smallest subnormal
        assertThat(h[16]).isEqualTo(0f); // half of it: tie to even zero
        assertThat(h[17]).isEqualTo(0x1p-24f);
        assertThat(h[20]).isEqualTo(0f); // float subnormal
        assertThat(h[26]).isNaN();
        assertThat(h[27]).isNaN();
    }

    @Test
    void layoutFollowsTheFormat() throws IOException {
        Path f = dir.resolve("t.safetensors");
        NamedTensors t = NamedTensors.builder().add("b", new Tensor(new int[] {2}, new float[] {1f, 2f}))
                .add("a", new Tensor(new int[] {1, 1}, new float[] {3f})).build();
        SafetensorsWriter.write(f, t, Map.of("k", "v"), DType.BF16);
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLen % 8).isZero();
        assertThat(bytes).hasSize((int) (8 + headerLen + 6));
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        JsonNode json = new ObjectMapper().readTree(header);
        assertThat(json.get("__metadata__").get("k").asText()).isEqualTo("v");
        assertThat(json.get("b").get("data_offsets").toString()).isEqualTo("[0,4]");
        assertThat(json.get("a").get("data_offsets").toString()).isEqualTo("[4,6]");
        assertThat(json.get("a").get("shape").toString()).isEqualTo("[1,1]");
        assertThat(header.substring(header.lastIndexOf('}') + 1)).matches(" *");
        // bfloat16 1.0 = 0x3F80, little-endian
        assertThat(Arrays.copyOfRange(bytes, (int) (8 + headerLen), (int) (8 + headerLen) + 2))
                .containsExactly(0x80, 0x3F);
        // the same input gives the same bytes
        Path g = dir.resolve("g.safetensors");
        SafetensorsWriter.write(g, t, Map.of("k", "v"), DType.BF16);
        assertThat(Files.readAllBytes(g)).isEqualTo(bytes);
    }

    @Test
    void emptyCollectionIsAValidFile() {
        Path f = dir.resolve("e.safetensors");
        SafetensorsWriter.write(f, NamedTensors.empty(), Map.of());
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertThat(r.names()).isEmpty();
            assertThat(r.metadata()).isEmpty();
        }
    }

    @Test
    void rejectsBadArgumentsWithoutTouchingTheFile() throws IOException {
        Path f = dir.resolve("t.safetensors");
        Files.writeString(f, "old");
        NamedTensors t = NamedTensors.builder().add("x", Tensor.zeros(1)).build();
        assertThatThrownBy(() -> SafetensorsWriter.write(f, t, Map.of(), DType.I64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("I64");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> SafetensorsWriter.write(f, t, nullValue)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k = null");
        NamedTensors reserved = NamedTensors.builder().add("__metadata__", Tensor.zeros(1)).build();
        assertThatThrownBy(() -> SafetensorsWriter.write(f, reserved, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__metadata__");
        assertThat(Files.readString(f)).isEqualTo("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }
}
