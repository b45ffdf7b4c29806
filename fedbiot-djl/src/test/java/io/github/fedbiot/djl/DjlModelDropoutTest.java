/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The config's training dropout on the real engine: seeded (same request, same bits; another seed, other
 * masks), wired for every key, absent from evaluation and generation, absent from the teacher of emulator
 * alignment, and a GPT-2 checkpoint with the Hub's 0.1 values trains.
 */
class DjlModelDropoutTest {
    private static final Map<String, Double> GPT2_HUB = Map.of("attn_pdrop", 0.1, "resid_pdrop", 0.1,
            "embd_pdrop", 0.1);

    private static ModelSpec base(String family) {
        return family.equals("llama") ? TinyModels.llama() : TinyModels.gpt2();
    }

    /** LoRA on two modules of every layer, without LoRA dropout, so that only the model's dropout draws. */
    private static LoraSpec lora(ModelSpec spec) {
        return new LoraSpec(4, 8, 0.0, spec.architecture().loraTargets().subList(0, 2));
    }

    private static List<Integer> all(ModelSpec spec) {
        return IntStream.range(0, spec.numLayers()).boxed().toList();
    }

    static Stream<Arguments> keys() {
        return Stream.of(Arguments.of("llama", Map.of("attention_dropout", 0.1)),
                Arguments.of("gpt2", Map.of("attn_pdrop", 0.1)), Arguments.of("gpt2", Map.of("resid_pdrop", 0.1)),
                Arguments.of("gpt2", Map.of("embd_pdrop", 0.1)), Arguments.of("gpt2", GPT2_HUB));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void localTrainingRepeatsForTheSameSeedAndDiffersForAnother(String family, Map<String, Double> dropout) {
        ModelSpec plainSpec = base(family);
        ModelSpec spec = TinyModels.withDropout(plainSpec, dropout);
        LoraSpec lora = lora(spec);
        List<Integer> stack = all(spec);
        NamedTensors adapter = DjlTrainLocalTest.randomLora(spec, lora, stack, 1, 0.05);
        List<List<Batch>> steps = DjlGarbageCollectionTest.steps(3, 2, spec.vocabSize());
        OptimizerConfig opt = OptimizerConfig.DEFAULT.withLearningRate(1e-2);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 21, null);
                DjlBaseModel plain = DjlBaseModel.random(plainSpec, 21, null)) {
            LocalTrainResult a = model.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(), adapter,
                    steps, opt, 0, true, 5));
            LocalTrainResult again = model.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(),
                    adapter, steps, opt, 0, true, 5));
            LocalTrainResult other = model.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(),
                    adapter, steps, opt, 0, true, 6));
            LocalTrainResult none = plain.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(),
                    adapter, steps, opt, 0, true, 5));
            LocalTrainResult noneOther = plain.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(),
                    adapter, steps, opt, 0, true, 6));

            assertThat(a.meanLoss()).isFinite();
            assertThat(a.skippedBatches()).isZero();
            assertThat(again.meanLoss()).as("same request, same loss").isEqualTo(a.meanLoss());
            assertThat(again.trainedLora()).as("same request, same LoRA").isEqualTo(a.trainedLora());
            assertThat(other.meanLoss()).as("another seed, other masks").isNotEqualTo(a.meanLoss());
            assertThat(other.trainedLora()).isNotEqualTo(a.trainedLora());
            assertThat(none.meanLoss()).as("%s is applied", dropout.keySet()).isNotEqualTo(a.meanLoss());
            assertThat(none.trainedLora()).isNotEqualTo(a.trainedLora());
            // without any dropout the seed draws nothing: the differences above come from the model's dropout
            assertThat(noneOther.trainedLora()).isEqualTo(none.trainedLora());
        }
    }

    @ParameterizedTest
    @MethodSource("keys")
    void alignmentRepeatsForTheSameSeedAndDiffersForAnother(String family, Map<String, Double> dropout) {
        ModelSpec plainSpec = base(family);
        ModelSpec spec = TinyModels.withDropout(plainSpec, dropout);
        LoraSpec lora = lora(spec);
        LayerPlan plan = LayerPlan.lastK(spec.numLayers(), 1, 0.5);
        NamedTensors adapter = DjlTrainLocalTest.randomLora(spec, lora, plan.adapterLayers(), 3, 0.1);
        NamedTensors emulator = LoraInit.create(spec, lora, plan.emulatorLayers(), 4);
        List<List<Batch>> steps = DjlGarbageCollectionTest.steps(3, 2, spec.vocabSize());
        OptimizerConfig opt = OptimizerConfig.DEFAULT.withLearningRate(1e-2);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 22, null);
                DjlBaseModel plain = DjlBaseModel.random(plainSpec, 22, null)) {
            AlignResult a = model.alignEmulator(new AlignRequest(plan, lora, adapter, emulator, steps, opt, 0.9, 7));
            AlignResult again = model.alignEmulator(new AlignRequest(plan, lora, adapter, emulator, steps, opt, 0.9,
                    7));
            AlignResult other = model.alignEmulator(new AlignRequest(plan, lora, adapter, emulator, steps, opt, 0.9,
                    8));
            AlignResult none = plain.alignEmulator(new AlignRequest(plan, lora, adapter, emulator, steps, opt, 0.9,
                    7));

            assertThat(a.meanNl2()).isFinite();
            assertThat(a.meanKl()).isFinite();
            assertThat(a.skippedBatches()).isZero();
            assertThat(again.emulatorLora()).isEqualTo(a.emulatorLora());
            assertThat(again.meanNl2()).isEqualTo(a.meanNl2());
            assertThat(again.meanKl()).isEqualTo(a.meanKl());
            assertThat(other.emulatorLora()).isNotEqualTo(a.emulatorLora());
            assertThat(none.emulatorLora()).isNotEqualTo(a.emulatorLora());
        }
    }

    /** Evaluation, the forward pass and generation read neither the model's dropout nor LoRA dropout. */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "gpt2"})
    void evaluationForwardAndGenerationIgnoreDropout(String family) {
        ModelSpec plainSpec = base(family);
        ModelSpec spec = TinyModels.withDropout(plainSpec,
                family.equals("llama") ? Map.of("attention_dropout", 0.1) : GPT2_HUB);
        LoraSpec lora = new LoraSpec(4, 8, 0.1, spec.architecture().loraTargets().subList(0, 2));
        List<Integer> stack = all(spec);
        NamedTensors tensors = DjlTrainLocalTest.randomLora(spec, lora, stack, 2, 0.1);
        Batch batch = TinyModels.sequenceBatch(3, 12, 2, 4);
        int[] prompt = {5, 9, 13, 2};
        GenerationConfig sampled = new GenerationConfig(10, 0.8, 20, 0.95, 3, false);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 31, 0.3, null);
                DjlBaseModel plain = DjlBaseModel.random(plainSpec, 31, 0.3, null)) {
            assertThat(DjlModelProbe.baseWeights(model)).isEqualTo(DjlModelProbe.baseWeights(plain));
            assertThat(model.logits(stack, lora, tensors, batch.tokens(), 3, 12))
                    .isEqualTo(plain.logits(stack, lora, tensors, batch.tokens(), 3, 12));
            assertThat(DjlModelProbe.hiddenStates(model, stack, lora, tensors, batch.tokens(), 3, 12))
                    .isEqualTo(DjlModelProbe.hiddenStates(plain, stack, lora, tensors, batch.tokens(), 3, 12));
            assertThat(model.evaluate(stack, lora, tensors, List.of(batch)))
                    .isEqualTo(plain.evaluate(stack, lora, tensors, List.of(batch)));
            assertThat(model.sequenceLogLikelihoods(stack, lora, tensors, batch))
                    .isEqualTo(plain.sequenceLogLikelihoods(stack, lora, tensors, batch));
            assertThat(model.generate(stack, lora, tensors, prompt, GenerationConfig.greedy(10)))
                    .isEqualTo(plain.generate(stack, lora, tensors, prompt, GenerationConfig.greedy(10)));
            assertThat(model.generate(stack, lora, tensors, prompt, sampled))
                    .isEqualTo(plain.generate(stack, lora, tensors, prompt, sampled));
        }
    }

    /**
     * The teacher gives the targets and runs without dropout. With GPT-2's {@code embd_pdrop} alone and an
     * emulator that computes what the teacher does (the same layers, LoRA B = 0), NL2 is exactly 0: the teacher
     * layers run on the student's (dropped) {@code h_in}, without dropout of their own, as the reference's
     * {@code raw_model.teacher.eval()}. The KL is not 0: the full model's logits come from the tokens in eval
     * mode ({@code raw_model.eval()}), not from the dropped embeddings. With {@code resid_pdrop} alone NL2 is
     * not 0: the student's layers drop and the teacher's do not (with the student's masks it would be 0).
     */
    @Test
    void theTeacherOfAlignmentRunsWithoutDropout() {
        ModelSpec plainSpec = TinyModels.gpt2();
        LoraSpec lora = lora(plainSpec);
        LayerPlan plan = LayerPlan.lastK(plainSpec.numLayers(), 1, 0.0);
        assertThat(plan.emulatorLayers()).isEqualTo(plan.teacherLayers());
        NamedTensors adapter = DjlTrainLocalTest.randomLora(plainSpec, lora, plan.adapterLayers(), 3, 0.1);
        NamedTensors emulator = LoraInit.create(plainSpec, lora, plan.emulatorLayers(), 4); // B = 0
        List<List<Batch>> oneStep = List.of(List.of(TinyModels.sequenceBatch(3, 12, 0, 1)));
        for (Map<String, Double> dropout : List.of(Map.<String, Double>of(), Map.of("embd_pdrop", 0.3),
                Map.of("resid_pdrop", 0.3))) {
            try (DjlBaseModel model = DjlBaseModel.random(TinyModels.withDropout(plainSpec, dropout), 24, 0.3,
                    null)) {
                AlignResult r = model.alignEmulator(new AlignRequest(plan, lora, adapter, emulator, oneStep,
                        OptimizerConfig.DEFAULT, 1.0, 5));
                if (dropout.isEmpty()) {
                    assertThat(r.meanNl2()).isEqualTo(0.0);
                    assertThat(r.meanKl()).isEqualTo(0.0);
                } else if (dropout.containsKey("embd_pdrop")) {
                    assertThat(r.meanNl2()).as("teacher on the student's h_in, no dropout in layers").isEqualTo(0.0);
                    assertThat(r.meanKl()).as("full model from undropped embeddings").isGreaterThan(1e-4);
                } else {
                    assertThat(r.meanNl2()).as("student layers drop, teacher layers do not").isGreaterThan(1e-4);
                }
            }
        }
    }

    /**
     * A GPT-2 checkpoint whose config.json is the Hub's ({@code openai-community/gpt2}: 0.1 for each dropout
     * key), with the sizes shrunk, loads and trains: local training and alignment run with finite losses and
     * change the trained LoRA.
     */
    @Test
    void aGpt2CheckpointWithTheHubsDropoutTrains(@TempDir Path dir) throws IOException {
        String hubConfig = """
                {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
                 "bos_token_id": 63, "embd_pdrop": 0.1, "eos_token_id": 63, "initializer_range": 0.02,
                 "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 64, "n_embd": 32, "n_head": 4,
                 "n_inner": null, "n_layer": 3, "n_positions": 64, "reorder_and_upcast_attn": false,
                 "resid_pdrop": 0.1, "scale_attn_by_inverse_layer_idx": false, "scale_attn_weights": true,
                 "summary_activation": null, "summary_first_dropout": 0.1, "summary_proj_to_labels": true,
                 "summary_type": "cls_index", "summary_use_proj": true,
                 "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}},
                 "vocab_size": 64}
                """;
        // the Hub's gpt2 config.json with the vocabulary cut to 64, its last id (50256 there) the special token
        Files.writeString(dir.resolve("config.json"), hubConfig);
        ModelSpec spec = ModelSpec.read(dir);
        assertThat(spec.trainingDropout()).isEqualTo(GPT2_HUB);
        try (DjlBaseModel random = DjlBaseModel.random(spec, 41, 0.3, null)) {
            random.save(dir);
        }
        Files.writeString(dir.resolve("config.json"), hubConfig); // the Hub's file, not fedbiot's rewrite
        LoraSpec lora = new LoraSpec(8, 16, 0.05, List.of("c_attn"));
        try (DjlBaseModel model = DjlBaseModel.load(dir)) {
            assertThat(model.spec().trainingDropout()).isEqualTo(GPT2_HUB);
            List<Integer> stack = all(spec);
            NamedTensors adapter = LoraInit.create(spec, lora, stack, 1);
            List<List<Batch>> steps = DjlGarbageCollectionTest.steps(4, 2, spec.vocabSize());
            LocalTrainResult r = model.trainLocal(new LocalTrainRequest(stack, lora, NamedTensors.empty(), adapter,
                    steps, OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0, true, 1));
            assertThat(r.meanLoss()).isFinite().isPositive();
            assertThat(r.steps()).isEqualTo(4);
            assertThat(r.skippedBatches()).isZero();
            assertThat(r.trainedLora()).isNotEqualTo(adapter);

            LayerPlan plan = LayerPlan.lastK(spec.numLayers(), 1, 0.5);
            NamedTensors emulator = LoraInit.create(spec, lora, plan.emulatorLayers(), 2);
            AlignResult a = model.alignEmulator(new AlignRequest(plan, lora, r.trainedLora().filter(
                    n -> plan.adapterLayers().contains(LoraNames.layerOf(n))), emulator,
                    steps, OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0.9, 2));
            assertThat(a.meanNl2()).isFinite();
            assertThat(a.meanKl()).isFinite();
            assertThat(a.skippedBatches()).isZero();
            assertThat(a.emulatorLora()).isNotEqualTo(emulator);
        }
    }
}
