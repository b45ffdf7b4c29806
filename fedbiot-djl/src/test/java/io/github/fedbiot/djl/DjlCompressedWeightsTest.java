/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.LoadOptions;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.DType;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsCheckpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frozen weights held compressed ({@code model.weight_format}) and layerwise activation checkpointing: logits
 * equal those of a float32 model of the same (dequantised) values, sizes shrink as the formats promise, LoRA
 * gradients with checkpointing equal those without (and finite differences), training and alignment give the
 * same results with and without checkpointing, dropout masks included, and no native array leaks.
 */
class DjlCompressedWeightsTest {
    private static final ModelSpec SPEC = TinyModels.llama();
    private static final LoraSpec LORA = new LoraSpec(4, 8, 0.0, List.of("q_proj", "v_proj"));
    private static final LoadOptions CHECKPOINTED = new LoadOptions(WeightFormat.AS_STORED,
            LoadOptions.Checkpointing.ON);

    private static DjlBaseModel model(WeightFormat format, LoadOptions.Checkpointing cp) {
        return DjlBaseModel.random(SPEC, 11, 0.2, null, new LoadOptions(format, cp));
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1"})
    void logitsEqualFloat32ModelOfTheDequantisedValues(WeightFormat format, @TempDir Path dir) {
        Batch batch = TinyModels.sequenceBatch(2, 8, 2, 3);
        NamedTensors lora = DjlTrainLocalTest.randomLora(SPEC, LORA, List.of(0, 2), 5, 0.2);
        List<Integer> stack = List.of(0, 1, 2, 3);
        try (DjlBaseModel compressed = model(format, LoadOptions.Checkpointing.AUTO)) {
            compressed.save(dir);
            try (DjlBaseModel f32 = DjlTrainingEngine.newInstance().load(dir)) {
                float[] a = compressed.logits(stack, LORA, lora, batch.tokens(), 2, 8);
                float[] b = f32.logits(stack, LORA, lora, batch.tokens(), 2, 8);
                assertThat(maxAbsDiff(a, b)).isLessThanOrEqualTo(1e-5);
                int[] prompt = {1, 2, 3};
                var gen = io.github.fedbiot.engine.GenerationConfig.greedy(6);
                assertThat(compressed.generate(stack, LORA, lora, prompt, gen))
                        .containsExactly(f32.generate(stack, LORA, lora, prompt, gen));
            }
        }
    }

    @Test
    void compressedFormatsHoldFewerBytes() {
        long f32;
        try (DjlBaseModel m = model(WeightFormat.F32, LoadOptions.Checkpointing.AUTO)) {
            f32 = DjlModelProbe.weightBytes(m);
        }
        try (DjlBaseModel f16 = model(WeightFormat.F16, LoadOptions.Checkpointing.AUTO);
                DjlBaseModel q8 = model(WeightFormat.Q8_0, LoadOptions.Checkpointing.AUTO);
                DjlBaseModel q4 = model(WeightFormat.Q4_0, LoadOptions.Checkpointing.AUTO)) {
            // the norms stay float32: a few hundred bytes on top of the matrices' share
            assertThat((double) DjlModelProbe.weightBytes(f16) / f32).isBetween(0.5, 0.52);
            assertThat((double) DjlModelProbe.weightBytes(q8) / f32).isBetween(8.5 / 32, 8.5 / 32 + 0.02);
            assertThat((double) DjlModelProbe.weightBytes(q4) / f32).isBetween(4.5 / 32, 4.5 / 32 + 0.02);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"F32", "Q4_1"})
    void checkpointedGradientEqualsFullGraphGradient(WeightFormat format) {
        NamedTensors trainable = DjlTrainLocalTest.randomLora(SPEC, LORA, List.of(1, 3), 4, 0.2);
        NamedTensors frozen = DjlTrainLocalTest.randomLora(SPEC, LORA, List.of(0), 5, 0.2);
        Batch batch = TinyModels.sequenceBatch(2, 8, 2, 7);
        List<Integer> stack = List.of(0, 1, 2, 3);
        try (DjlBaseModel m = model(format, LoadOptions.Checkpointing.OFF)) {
            var full = DjlModelProbe.lossAndGradient(m, stack, LORA, frozen, trainable, trainable, batch, 0.5, true,
                    false);
            var cp = DjlModelProbe.lossAndGradient(m, stack, LORA, frozen, trainable, trainable, batch, 0.5, true,
                    true);
            assertThat(cp.loss()).isCloseTo(full.loss(), within(1e-6));
            full.gradient().asMap().forEach((name, g) -> assertThat(
                    maxAbsDiff(g.data(), cp.gradient().get(name).data())).as(name).isLessThanOrEqualTo(1e-6));
        }
    }

    @Test
    void checkpointedGradientMatchesFiniteDifferences() {
        NamedTensors trainable = DjlTrainLocalTest.randomLora(SPEC, LORA, List.of(2, 3), 4, 0.2);
        Batch batch = TinyModels.sequenceBatch(2, 8, 2, 7);
        List<Integer> stack = List.of(0, 1, 2, 3);
        try (DjlBaseModel m = model(WeightFormat.Q8_0, LoadOptions.Checkpointing.ON)) {
            var g = DjlModelProbe.lossAndGradient(m, stack, LORA, NamedTensors.empty(), trainable, trainable, batch,
                    0, true, true);
            double eps = 1e-2;
            int checked = 0;
            for (var e : g.gradient().asMap().entrySet()) {
                float[] grad = e.getValue().data();
                int i = argMaxAbs(grad);
                double plus = DjlModelProbe.lossAndGradient(m, stack, LORA, NamedTensors.empty(),
                        DjlTrainLocalTest.perturb(trainable, e.getKey(), i, eps), trainable, batch, 0, true, true).loss();
                double minus = DjlModelProbe.lossAndGradient(m, stack, LORA, NamedTensors.empty(),
                        DjlTrainLocalTest.perturb(trainable, e.getKey(), i, -eps), trainable, batch, 0, true, true).loss();
                assertThat((plus - minus) / (2 * eps)).as(e.getKey()).isCloseTo(grad[i],
                        within(0.03 * Math.abs(grad[i]) + 2e-4));
                checked++;
            }
            assertThat(checked).isEqualTo(8);
        }
    }

    @Test
    void trainingAndAlignmentGiveTheSameResultsWithCheckpointing() {
        LoraSpec dropoutLora = new LoraSpec(4, 8, 0.1, List.of("q_proj", "v_proj"));
        LayerPlan plan = LayerPlan.lastK(4, 1, 0.5);
        NamedTensors adapter = DjlTrainLocalTest.randomLora(SPEC, dropoutLora, plan.adapterLayers(), 1, 0.1);
        NamedTensors emulator = DjlTrainLocalTest.randomLora(SPEC, dropoutLora, plan.emulatorLayers(), 2, 0.1);
        List<List<Batch>> steps = List.of(List.of(TinyModels.sequenceBatch(2, 8, 2, 1),
                TinyModels.sequenceBatch(2, 8, 2, 2)), List.of(TinyModels.sequenceBatch(2, 8, 2, 3)));
        NamedTensors fullLora = LoraInit.create(SPEC, dropoutLora, plan.fullStack(), 9);
        AlignResult[] aligned = new AlignResult[2];
        LocalTrainResult[] trained = new LocalTrainResult[2];
        for (int i = 0; i < 2; i++) {
            try (DjlBaseModel m = model(WeightFormat.Q4_0, i == 0 ? LoadOptions.Checkpointing.OFF
                    : LoadOptions.Checkpointing.ON)) {
                int before = DjlModelProbe.nativeArrayCount(m);
                aligned[i] = m.alignEmulator(new AlignRequest(plan, dropoutLora, adapter, emulator, steps,
                        OptimizerConfig.DEFAULT, 0.9, 5));
                trained[i] = m.trainLocal(new LocalTrainRequest(plan.fullStack(), dropoutLora, NamedTensors.empty(),
                        fullLora, steps, OptimizerConfig.DEFAULT, 0, true, 6));
                assertThat(DjlModelProbe.nativeArrayCount(m)).isEqualTo(before);
            }
        }
        assertThat(aligned[1].meanNl2()).isCloseTo(aligned[0].meanNl2(), within(1e-6));
        assertThat(aligned[1].meanKl()).isCloseTo(aligned[0].meanKl(), within(1e-6));
        assertThat(trained[1].meanLoss()).isCloseTo(trained[0].meanLoss(), within(1e-6));
        aligned[0].emulatorLora().asMap().forEach((n, t) -> assertThat(
                maxAbsDiff(t.data(), aligned[1].emulatorLora().get(n).data())).as(n).isLessThanOrEqualTo(1e-5));
        trained[0].trainedLora().asMap().forEach((n, t) -> assertThat(
                maxAbsDiff(t.data(), trained[1].trainedLora().get(n).data())).as(n).isLessThanOrEqualTo(1e-5));
    }

    @Test
    void mergedExportWritesTheStoredPrecisionOrTheOneAskedFor(@TempDir Path dir) {
        NamedTensors lora = DjlTrainLocalTest.randomLora(SPEC, LORA, List.of(1), 5, 0.2);
        try (DjlBaseModel bf16 = model(WeightFormat.BF16, LoadOptions.Checkpointing.AUTO);
                DjlBaseModel q4 = model(WeightFormat.Q4_1, LoadOptions.Checkpointing.AUTO)) {
            bf16.saveMerged(dir.resolve("bf16"), LORA, lora, null);
            q4.saveMerged(dir.resolve("q4"), LORA, lora, null);
            q4.saveMerged(dir.resolve("q4-f16"), LORA, lora, DType.F16);
            assertThat(dtype(dir.resolve("bf16"))).isEqualTo(DType.BF16);
            assertThat(dtype(dir.resolve("q4"))).isEqualTo(DType.F32);
            assertThat(dtype(dir.resolve("q4-f16"))).isEqualTo(DType.F16);
            // a bf16 model loaded as stored is the same model
            try (DjlBaseModel back = DjlTrainingEngine.newInstance().load(dir.resolve("bf16"), CHECKPOINTED)) {
                assertThat(DjlModelProbe.weightBytes(back)).isEqualTo(DjlModelProbe.weightBytes(bf16));
            }
            // another format asked for re-encodes what the file stores
            try (DjlBaseModel q8 = DjlTrainingEngine.newInstance().load(dir.resolve("bf16"),
                    new LoadOptions(WeightFormat.Q8_0, LoadOptions.Checkpointing.AUTO))) {
                assertThat(DjlModelProbe.weightFormats(q8)).containsValue(WeightFormat.Q8_0)
                        .doesNotContainValue(WeightFormat.BF16);
            }
        }
    }

    private static DType dtype(Path dir) {
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            return c.dtype("model.layers.0.self_attn.q_proj.weight");
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static int argMaxAbs(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        return best;
    }
}
