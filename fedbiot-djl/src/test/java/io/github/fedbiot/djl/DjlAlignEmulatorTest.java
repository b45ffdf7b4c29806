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
import io.github.fedbiot.tensor.Tensor;
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

    /**
     * Returns LoRA with A and B both non-zero but {@code B A = 0}: the first half of A's rows and the second
     * half of B's columns are zero, so the module computes exactly what the base model does.
     */
    private static NamedTensors nonZeroLoraWithZeroProduct(List<Integer> layers, long seed) {
        NamedTensors random = DjlTrainLocalTest.randomLora(SPEC, LORA, layers, seed, 0.3);
        NamedTensors.Builder b = NamedTensors.builder();
        int r = LORA.rank();
        for (String name : random.names()) {
            Tensor t = random.get(name);
            float[] d = t.data().clone();
            boolean isA = name.contains("lora_A");
            int rows = t.dim(0);
            int cols = t.dim(1);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int rank = isA ? i : j;
                    if (isA ? rank < r / 2 : rank >= r / 2) {
                        d[i * cols + j] = 0f;
                    }
                }
            }
            b.add(name, new Tensor(t.shape(), d));
        }
        return b.build();
    }

    @Test
    void klIsExactlyZeroWhenTheCompressedModelEqualsTheFullOne() {
        LayerPlan plan = LayerPlan.lastK(SPEC.numLayers(), 1, 0.0);
        assertThat(plan.emulatorLayers()).isEqualTo(plan.teacherLayers());
        NamedTensors adapter = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.adapterLayers(), 3, 0.1);
        NamedTensors emulator = nonZeroLoraWithZeroProduct(plan.emulatorLayers(), 4);
        assertThat(emulator.names()).allMatch(n -> emulator.get(n).maxAbsDiff(
                new Tensor(emulator.get(n).shape(), new float[emulator.get(n).data().length])) > 0.1);
        Batch batch = TinyModels.sequenceBatch(3, 12, 0, 1);
        AlignResult r = model.alignEmulator(new AlignRequest(plan, LORA, adapter, emulator, oneStep(batch),
                OptimizerConfig.DEFAULT, 2.0, 5));
        assertThat(r.meanKl()).isEqualTo(0.0);
        assertThat(r.meanNl2()).isEqualTo(0.0);
        assertThat(r.steps()).isEqualTo(1);

        // the same LoRA with B A != 0 makes the models differ: the zeros above are not vacuous
        String someA = emulator.names().stream().filter(n -> n.contains("lora_A")).findFirst().orElseThrow();
        float[] a = emulator.get(someA).data().clone();
        java.util.Arrays.fill(a, 0, a.length / 2, 0.3f);
        NamedTensors.Builder perturbed = NamedTensors.builder();
        emulator.names().forEach(n -> perturbed.add(n, n.equals(someA) ? new Tensor(emulator.get(n).shape(), a)
                : emulator.get(n)));
        AlignResult other = model.alignEmulator(new AlignRequest(plan, LORA, adapter, perturbed.build(),
                oneStep(batch), OptimizerConfig.DEFAULT, 2.0, 5));
        assertThat(other.meanKl()).isGreaterThan(1e-7);
        assertThat(other.meanNl2()).isGreaterThan(1e-7);
    }

    /**
     * Returns the gradient of the alignment loss with respect to the emulator LoRA, read off one AdamW step with
     * beta1 = beta2 = 0 and lr = eps: the update is then {@code u = g eps / (|g| + eps)}, so
     * {@code g = u eps / (eps - |u|)} exactly.
     */
    private static double[] alignmentGradient(LayerPlan plan, NamedTensors adapter, NamedTensors emulator,
            Batch batch, double klWeight) {
        double eps = 1e4;
        OptimizerConfig sgdLike = new OptimizerConfig(eps, 0.0, 0.0, eps, 0.0);
        NamedTensors after = model.alignEmulator(new AlignRequest(plan, LORA, adapter, emulator, oneStep(batch),
                sgdLike, klWeight, 1)).emulatorLora();
        List<Double> g = new ArrayList<>();
        for (String n : emulator.names()) {
            float[] x0 = emulator.get(n).data();
            float[] x1 = after.get(n).data();
            for (int i = 0; i < x0.length; i++) {
                double u = (double) x0[i] - x1[i];
                g.add(u * eps / (eps - Math.abs(u)));
            }
        }
        return g.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static NamedTensors shifted(NamedTensors lora, double[] direction, double h) {
        NamedTensors.Builder b = NamedTensors.builder();
        int k = 0;
        for (String n : lora.names()) {
            float[] d = lora.get(n).data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (d[i] + h * direction[k++]);
            }
            b.add(n, new Tensor(lora.get(n).shape(), d));
        }
        return b.build();
    }

    @Test
    void theKlTermCarriesItsGradientToTheEmulatorLora() {
        LayerPlan plan = LayerPlan.lastK(SPEC.numLayers(), 1, 0.5);
        NamedTensors adapter = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.adapterLayers(), 6, 0.2);
        NamedTensors emulator = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.emulatorLayers(), 7, 0.2);
        Batch batch = TinyModels.sequenceBatch(2, 10, 0, 2);
        double lambda = 1.5;
        double[] withKl = alignmentGradient(plan, adapter, emulator, batch, lambda);
        double[] withoutKl = alignmentGradient(plan, adapter, emulator, batch, 0.0);
        double[] klGrad = new double[withKl.length];
        double norm = 0;
        for (int i = 0; i < klGrad.length; i++) {
            klGrad[i] = (withKl[i] - withoutKl[i]) / lambda;
            norm += klGrad[i] * klGrad[i];
        }
        norm = Math.sqrt(norm);
        assertThat(norm).as("the KL term's gradient on the emulator LoRA").isGreaterThan(1e-4);

        // central difference of the KL value along that gradient: d/dh KL(E + h g/|g|) = |g|
        double[] dir = new double[klGrad.length];
        for (int i = 0; i < dir.length; i++) {
            dir[i] = klGrad[i] / norm;
        }
        double h = 1e-2;
        double up = model.alignEmulator(new AlignRequest(plan, LORA, adapter, shifted(emulator, dir, h),
                oneStep(batch), OptimizerConfig.DEFAULT, lambda, 1)).meanKl();
        double down = model.alignEmulator(new AlignRequest(plan, LORA, adapter, shifted(emulator, dir, -h),
                oneStep(batch), OptimizerConfig.DEFAULT, lambda, 1)).meanKl();
        assertThat((up - down) / (2 * h)).isCloseTo(norm, within(0.05 * norm));
    }

    @Test
    void nl2AndKlMatchTheirFormulasOnTheHeap() {
        LayerPlan plan = LayerPlan.lastK(SPEC.numLayers(), 1, 0.5);
        NamedTensors adapter = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.adapterLayers(), 6, 0.1);
        NamedTensors emulator = DjlTrainLocalTest.randomLora(SPEC, LORA, plan.emulatorLayers(), 7, 0.1);
        Batch batch = TinyModels.sequenceBatch(2, 10, 0, 2);
        int n = batch.batchSize() * batch.seqLen();

        float[] hT = DjlModelProbe.hiddenStates(model, plan.teacherLayers(), LORA, NamedTensors.empty(),
                batch.tokens(), 2, 10);
        float[] hE = DjlModelProbe.hiddenStates(model, plan.emulatorLayers(), LORA, emulator, batch.tokens(), 2,
                10);
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
