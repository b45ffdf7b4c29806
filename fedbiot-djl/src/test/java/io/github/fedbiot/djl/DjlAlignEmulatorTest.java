/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Emulator alignment: NL2 and KL values against their formulas on the heap, and training. */
class DjlAlignEmulatorTest {
    private static final ModelSpec SPEC = TinyModels.llama();
    private static final LoraSpec LORA = new LoraSpec(4, 8, 0.0, List.of("q_proj", "v_proj"));
    private static DjlBaseModel model;

    @BeforeAll
    static void load() {
        model = DjlBaseModel.random(SPEC, 21, 0.2, null);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<List<Batch>> oneStep(Batch b) {
        return List.of(List.of(b));
    }

    @Test
    void klIsExactlyZeroWhenTheCompressedModelEqualsTheFullOne() {
        LayerPlan plan = LayerPlan.lastK(SPEC.numLayers(), 1, 0.0);
        assertThat(plan.emulatorLayers()).isEqualTo(plan.teacherLayers());
        NamedTensors adapter = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.adapterLayers(), 3, 0.1);
        NamedTensors emulator = LoraInit.create(SPEC, LORA, plan.emulatorLayers(), 4);
        AlignResult r = model.alignEmulator(new AlignRequest(plan, LORA, adapter, emulator,
                oneStep(TinyModels.sequenceBatch(3, 12, 0, 1)), OptimizerConfig.DEFAULT, 2.0, 5));
        assertThat(r.meanKl()).isEqualTo(0.0);
        assertThat(r.meanNl2()).isEqualTo(0.0);
        assertThat(r.steps()).isEqualTo(1);
    }

    @Test
    void nl2AndKlMatchTheirFormulasOnTheHeap() {
        LayerPlan plan = LayerPlan.lastK(SPEC.numLayers(), 1, 0.5);
        NamedTensors adapter = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.adapterLayers(), 6, 0.1);
        NamedTensors emulator = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.emulatorLayers(), 7, 0.1);
        Batch batch = TinyModels.sequenceBatch(2, 10, 0, 2);
        int n = batch.batchSize() * batch.seqLen();

        float[] hT = model.hiddenStates(plan.teacherLayers(), LORA, NamedTensors.empty(), batch.tokens(), 2, 10);
        float[] hE = model.hiddenStates(plan.emulatorLayers(), LORA, emulator, batch.tokens(), 2, 10);
        double ms = 0;
        for (float v : hT) {
            ms += (double) v * v;
        }
        ms /= hT.length;
        double nl2 = 0;
        for (int i = 0; i < hT.length; i++) {
            double d = (hT[i] - hE[i]) / Math.sqrt(ms);
            nl2 += d * d;
        }
        nl2 /= hT.length;

        float[] full = model.logits(plan.fullStack(), LORA, adapter, batch.tokens(), 2, 10);
        float[] comp = model.logits(plan.compressedStack(), LORA, adapter.with(emulator), batch.tokens(), 2, 10);
        int v = SPEC.vocabSize();
        double kl = 0;
        for (int p = 0; p < n; p++) {
            double[] lf = logSoftmax(full, p * v, v);
            double[] lc = logSoftmax(comp, p * v, v);
            for (int i = 0; i < v; i++) {
                kl += Math.exp(lf[i]) * (lf[i] - lc[i]);
            }
        }
        kl /= n;
        assertThat(nl2).isGreaterThan(1e-3);
        assertThat(kl).isGreaterThan(1e-5);

        AlignResult r = model.alignEmulator(new AlignRequest(plan, LORA, adapter, emulator, oneStep(batch),
                OptimizerConfig.DEFAULT, 0.7, 1));
        assertThat(r.meanNl2()).isCloseTo(nl2, within(1e-4 * nl2));
        assertThat(r.meanKl()).isCloseTo(kl, within(1e-3 * kl + 1e-7));
    }

    private static double[] logSoftmax(float[] x, int from, int v) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, x[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            sum += Math.exp(x[from + i] - max);
        }
        double[] out = new double[v];
        for (int i = 0; i < v; i++) {
            out[i] = x[from + i] - max - Math.log(sum);
        }
        return out;
    }

    @Test
    void alignmentReducesTheDistanceToTheTeacher() {
        LayerPlan plan = LayerPlan.lastK(SPEC.numLayers(), 1, 0.5);
        NamedTensors adapter = LoraInit.create(SPEC, LORA, plan.adapterLayers(), 8);
        NamedTensors emulator = LoraInit.create(SPEC, LORA, plan.emulatorLayers(), 9);
        List<List<Batch>> steps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            steps.add(List.of(TinyModels.sequenceBatch(4, 12, 0, i % 3)));
        }
        AlignResult first = model.alignEmulator(new AlignRequest(plan, LORA, adapter, emulator, steps.subList(0, 1),
                OptimizerConfig.DEFAULT, 0.5, 1));
        AlignResult trained = model.alignEmulator(new AlignRequest(plan, LORA, adapter, emulator, steps,
                OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0.5, 1));
        AlignResult after = model.alignEmulator(new AlignRequest(plan, LORA, adapter, trained.emulatorLora(),
                steps.subList(0, 1), OptimizerConfig.DEFAULT, 0.5, 1));
        assertThat(after.meanNl2()).isLessThan(first.meanNl2() * 0.8);
        assertThat(trained.emulatorLora().names()).containsExactlyElementsOf(emulator.names());
    }

    @Test
    void rejectsAPlanForAnotherModelAndAFullModelPlan() {
        LayerPlan other = LayerPlan.lastK(6, 2, 0.5);
        assertThatThrownBy(() -> model.alignEmulator(new AlignRequest(other, LORA, NamedTensors.empty(),
                NamedTensors.empty(), oneStep(TinyModels.sequenceBatch(1, 4, 0, 1)), OptimizerConfig.DEFAULT, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 layers");
        LayerPlan full = LayerPlan.fullModel(SPEC.numLayers());
        assertThatThrownBy(() -> model.alignEmulator(new AlignRequest(full, LORA, NamedTensors.empty(),
                NamedTensors.empty(), oneStep(TinyModels.sequenceBatch(1, 4, 0, 1)), OptimizerConfig.DEFAULT, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no emulator");
        LayerPlan plan = LayerPlan.lastK(SPEC.numLayers(), 1, 0.5);
        NamedTensors onAdapterLayer = LoraInit.create(SPEC, LORA, plan.adapterLayers(), 1);
        assertThatThrownBy(() -> model.alignEmulator(new AlignRequest(plan, LORA, NamedTensors.empty(),
                onAdapterLayer, oneStep(TinyModels.sequenceBatch(1, 4, 0, 1)), OptimizerConfig.DEFAULT, 0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("emulator LoRA tensor")
                .hasMessageContaining("layer 3");
    }
}
