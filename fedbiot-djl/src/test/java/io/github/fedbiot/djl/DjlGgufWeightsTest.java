/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.gguf.GgufToHuggingFace;
import io.github.fedbiot.model.gguf.SmolLm2;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real SmolLM2-135M-Instruct GGUF (Q4_1 layers, Q8_0 embedding, F32 norms) loaded from a
 * {@code convert-gguf --keep-quantized} directory keeps its blocks and computes the logits of the float32
 * conversion of the same file.
 */
class DjlGgufWeightsTest {

    @Test
    void keptGgufBlocksGiveTheLogitsOfTheFloat32Conversion(@TempDir Path tmp) throws Exception {
        Path gguf = SmolLm2.gguf();
        Path f32Dir = tmp.resolve("f32");
        Path qDir = tmp.resolve("q");
        GgufToHuggingFace.convert(gguf, f32Dir);
        GgufToHuggingFace.keepQuantized(gguf, qDir);
        assertThat(qDir.resolve("model.gguf")).exists();
        assertThat(Files.exists(qDir.resolve("model.safetensors"))).isFalse();
        DjlTrainingEngine engine = DjlTrainingEngine.newInstance();
        int[] tokens = {1, 504, 3458, 282, 4649, 314, 2, 30};
        try (DjlBaseModel q = engine.load(qDir); DjlBaseModel f32 = engine.load(f32Dir)) {
            Map<WeightFormat, Long> formats = DjlModelProbe.weightFormats(q).values().stream()
                    .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
            assertThat(formats).containsEntry(WeightFormat.Q4_1, 210L).containsEntry(WeightFormat.Q8_0, 1L);
            assertThat((double) DjlModelProbe.weightBytes(q) / DjlModelProbe.weightBytes(f32)).isLessThan(0.2);
            List<Integer> all = IntStream.range(0, q.spec().numLayers()).boxed().toList();
            float[] a = q.logits(all, LoraSpec.DEFAULT, NamedTensors.empty(), tokens, 1, tokens.length);
            float[] b = f32.logits(all, LoraSpec.DEFAULT, NamedTensors.empty(), tokens, 1, tokens.length);
            assertThat(DjlCompressedWeightsTest.maxAbsDiff(a, b)).isLessThanOrEqualTo(1e-5);
        }
    }
}
