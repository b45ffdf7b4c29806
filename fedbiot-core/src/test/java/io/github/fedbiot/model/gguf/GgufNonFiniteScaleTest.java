/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A quantised block whose scale is NaN or infinite is refused, naming the tensor and the block. */
class GgufNonFiniteScaleTest {
    /** IEEE halves: quiet NaN and +infinity. */
    private static final short NAN = 0x7E00;
    private static final short INF = 0x7C00;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
        "Q8_0, 0, NaN", "Q4_0, 0, Infinity", "Q4_1, 2, NaN", "Q5_0, 0, NaN", "Q5_1, 2, Infinity",
        "Q4_K, 0, NaN", "Q4_K, 2, Infinity", "Q5_K, 2, NaN", "Q6_K, 208, Infinity"
    })
    void aNonFiniteScaleInTheSecondBlockIsRefused(GgmlType type, int scaleOffset, String value) throws IOException {
        byte[] data = new byte[3 * type.typeSize()]; // three blocks with zero scales: finite
        int at = type.typeSize() + scaleOffset;
        short half = value.equals("NaN") ? NAN : INF;
        data[at] = (byte) half;
        data[at + 1] = (byte) (half >>> 8);
        GgufBytes b = new GgufBytes();
        b.tensor("blk.0.ffn_up.weight", type, data, 3L * type.blockSize());
        Path file = tmp.resolve("m.gguf");
        Files.write(file, b.build());
        try (GgufFile f = GgufReader.open(file)) {
            assertThatThrownBy(() -> f.dequantize("blk.0.ffn_up.weight")).isInstanceOf(GgufFormatException.class)
                    .hasMessageContaining("tensor 'blk.0.ffn_up.weight'")
                    .hasMessageContaining(type + " block 1 has a " + value + " scale");
        }
    }

    @ParameterizedTest
    @CsvSource({"Q8_0", "Q4_K", "Q6_K"})
    void finiteScalesStillDecode(GgmlType type) throws IOException {
        GgufBytes b = new GgufBytes();
        b.tensor("w", type, new byte[type.typeSize()], type.blockSize());
        Path file = tmp.resolve("ok.gguf");
        Files.write(file, b.build());
        try (GgufFile f = GgufReader.open(file)) {
            for (float v : f.dequantize("w").data()) {
                assertThat(v == 0f).as("zero scale, zero value").isTrue(); // -0 for Q6_K's (q - 32) * 0
            }
        }
    }
}
