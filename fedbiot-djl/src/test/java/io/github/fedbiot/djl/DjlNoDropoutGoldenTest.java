/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model whose config asks for no dropout trains, aligns and evaluates bit for bit as the engine did before it
 * implemented the config's dropout: the digests below were recorded with commit a03ad62 (x86-64, one PyTorch
 * thread, as the build runs tests), on the setups of {@link DjlGarbageCollectionTest} (LoRA dropout 0.1, so the
 * LoRA masks, which moved to {@code DropoutMask}, are covered too). A digest covers every bit of the trained
 * LoRA and of the mean loss. A CPU whose kernels round differently would need them re-recorded from that commit,
 * so the test runs only on the kind of CPU they were recorded on (AMD EPYC with AVX-512, the project's build
 * machines) and is skipped, saying why, elsewhere.
 */
class DjlNoDropoutGoldenTest {

    @BeforeAll
    static void onTheRecordingCpu() throws java.io.IOException {
        java.nio.file.Path info = java.nio.file.Path.of("/proc/cpuinfo");
        String cpu = java.nio.file.Files.isReadable(info) ? java.nio.file.Files.readString(info) : "";
        Assumptions.assumeTrue(cpu.contains("AMD EPYC") && cpu.contains(" avx512f"),
                "digests were recorded on AMD EPYC with AVX-512; other kernels may round differently");
    }

    /** Returns the first 128 bits of the SHA-256 of the tensors' names and float bits and of a double. */
    static String digest(NamedTensors tensors, double value) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String n : tensors.names()) {
                md.update(n.getBytes(StandardCharsets.UTF_8));
                for (float f : tensors.get(n).data()) {
                    int b = Float.floatToRawIntBits(f);
                    md.update(new byte[] {(byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24)});
                }
            }
            long l = Double.doubleToRawLongBits(value);
            for (int i = 0; i < 8; i++) {
                md.update((byte) (l >> (8 * i)));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "llama, 8dd6697b62ec4bbf91face69244a1dc1, 4.127461155255635, 32a493f34d76cf67227e8b9b4ecd54fe",
        "gpt2, 0282073c57f1dd7e6cfc4bde37e18940, 4.155804594357808, 429a7eec799e92feb77c13d91b6b70ef"})
    void localTrainingAndLogitsAreThoseOfTheEngineBeforeDropout(String family, String trained, double meanLoss,
            String logits) {
        ModelSpec spec = family.equals("llama") ? TinyModels.llama() : TinyModels.gpt2();
        assertThat(spec.trainingDropout()).isEmpty();
        LoraSpec lora = new LoraSpec(4, 8, 0.1, spec.architecture().loraTargets().subList(0, 1));
        List<Integer> stack = IntStream.range(0, spec.numLayers()).boxed().toList();
        try (DjlBaseModel model = DjlBaseModel.random(spec, 21, null)) {
            NamedTensors adapter = LoraInit.create(spec, lora, stack, 1);
            LocalTrainResult r = model.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(), adapter,
                    DjlGarbageCollectionTest.steps(6, 2, spec.vocabSize()),
                    OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0.5, true, 5));
            assertThat(r.meanLoss()).isEqualTo(meanLoss);
            assertThat(digest(r.trainedLora(), r.meanLoss())).isEqualTo(trained);
            Batch batch = DjlGarbageCollectionTest.steps(1, 1, spec.vocabSize()).get(0).get(0);
            float[] lg = model.logits(stack, lora, r.trainedLora(), batch.tokens(), 3, 12);
            NamedTensors out = NamedTensors.builder().add("l", new Tensor(new int[] {lg.length}, lg)).build();
            assertThat(digest(out, 0)).isEqualTo(logits);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0.0, 8bdfe008f2e2966d9424a9d159da5e3a, 0.1326154718796412",
        "0.9, 316bca09995e648b444e570e423e11d3, 0.12608852609992027"})
    void alignmentIsThatOfTheEngineBeforeDropout(double klWeight, String aligned, double meanNl2) {
        ModelSpec spec = TinyModels.llama();
        LoraSpec lora = new LoraSpec(4, 8, 0.1, List.of("q_proj", "v_proj"));
        LayerPlan plan = LayerPlan.lastK(spec.numLayers(), 1, 0.5);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 22, null)) {
            NamedTensors adapter = DjlTrainLocalTest.randomLora(spec, lora, plan.adapterLayers(), 3, 0.1);
            NamedTensors emulator = LoraInit.create(spec, lora, plan.emulatorLayers(), 4);
            AlignResult r = model.alignEmulator(new AlignRequest(plan, lora, adapter, emulator,
                    DjlGarbageCollectionTest.steps(6, 1, spec.vocabSize()),
                    OptimizerConfig.DEFAULT.withLearningRate(1e-2), klWeight, 7));
            assertThat(r.meanNl2()).isEqualTo(meanNl2);
            assertThat(digest(r.emulatorLora(), r.meanNl2())).isEqualTo(aligned);
        }
    }

    /** A baseline plan: adapter layers before and after the teacher, LoRA on c_attn and mlp.c_proj. */
    @Test
    void gpt2AlignmentWithAdapterLayersOnBothSidesIsThatOfTheEngineBeforeDropout() {
        ModelSpec spec = TinyModels.gpt2();
        LoraSpec lora = new LoraSpec(4, 8, 0.1, List.of("c_attn", "mlp.c_proj"));
        LayerPlan plan = LayerPlan.firstAndLast(spec.numLayers(), 1, 0.0);
        assertThat(plan.adapterLayers()).containsExactly(0, 2);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 23, null)) {
            NamedTensors adapter = DjlTrainLocalTest.randomLora(spec, lora, plan.adapterLayers(), 3, 0.1);
            NamedTensors emulator = LoraInit.create(spec, lora, plan.emulatorLayers(), 4);
            AlignResult r = model.alignEmulator(new AlignRequest(plan, lora, adapter, emulator,
                    DjlGarbageCollectionTest.steps(4, 2, spec.vocabSize()),
                    OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0.9, 7));
            assertThat(r.meanKl()).isEqualTo(5.166025439393707E-4);
            assertThat(digest(r.emulatorLora(), r.meanNl2())).isEqualTo("76ad2f1c1594a8e47824bb77bc82e6d3");
        }
    }
}
