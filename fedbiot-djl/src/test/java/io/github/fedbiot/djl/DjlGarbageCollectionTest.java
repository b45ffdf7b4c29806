/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.djl.internal.FreedDirectMemory;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training and alignment give bit-identical results whether or not the JVM collects garbage while they run:
 * no array of the autograd graph may live in memory that a collection can free (see {@code Ops.scalar}). A
 * background thread collects and reuses freed direct memory as fast as it can during the second run.
 */
class DjlGarbageCollectionTest {
    private static final LoraSpec LORA = new LoraSpec(4, 8, 0.1, List.of("q_proj", "v_proj"));

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gpt2", "gpt2 with the Hub's dropout"})
    void localTrainingIsUnchangedByGarbageCollection(String family) {
        ModelSpec spec = family.equals("llama") ? TinyModels.llama() : TinyModels.gpt2();
        if (family.endsWith("dropout")) { // its masks enter the graph too
            spec = TinyModels.withDropout(spec, Map.of("attn_pdrop", 0.1, "resid_pdrop", 0.1, "embd_pdrop", 0.1));
        }
        LoraSpec lora = new LoraSpec(4, 8, 0.1, spec.architecture().loraTargets().subList(0, 1));
        List<Integer> stack = IntStream.range(0, spec.numLayers()).boxed().toList();
        try (DjlBaseModel model = DjlBaseModel.random(spec, 21, null)) {
            NamedTensors adapter = LoraInit.create(spec, lora, stack, 1);
            LocalTrainRequest req = new LocalTrainRequest(stack, lora, NamedTensors.empty(), adapter,
                    steps(6, 2, spec.vocabSize()), OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0.5, true, 5);
            LocalTrainResult quiet = model.trainLocal(req);
            LocalTrainResult collected = whileCollecting(() -> model.trainLocal(req));
            assertThat(collected.skippedBatches()).isZero();
            assertThat(collected.meanLoss()).isEqualTo(quiet.meanLoss());
            assertThat(collected.trainedLora()).isEqualTo(quiet.trainedLora());
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.9})
    void alignmentIsUnchangedByGarbageCollection(double klWeight) {
        ModelSpec spec = TinyModels.llama();
        LayerPlan plan = LayerPlan.lastK(spec.numLayers(), 1, 0.5);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 22, null)) {
            NamedTensors adapter = DjlTrainLocalTest.randomLora(spec, LORA, plan.adapterLayers(), 3, 0.1);
            NamedTensors emulator = LoraInit.create(spec, LORA, plan.emulatorLayers(), 4);
            AlignRequest req = new AlignRequest(plan, LORA, adapter, emulator, steps(6, 1, spec.vocabSize()),
                    OptimizerConfig.DEFAULT.withLearningRate(1e-2), klWeight, 7);
            AlignResult quiet = model.alignEmulator(req);
            AlignResult collected = whileCollecting(() -> model.alignEmulator(req));
            assertThat(collected.skippedBatches()).isZero();
            assertThat(collected.meanNl2()).isEqualTo(quiet.meanNl2());
            assertThat(collected.emulatorLora()).isEqualTo(quiet.emulatorLora());
        }
    }

    static List<List<Batch>> steps(int n, int micro, int vocab) {
        List<List<Batch>> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            List<Batch> step = new ArrayList<>();
            for (int k = 0; k < micro; k++) {
                step.add(TinyModels.sequenceBatch(3, 12, 2, 100L * s + k + vocab));
            }
            out.add(step);
        }
        return out;
    }

    private static <T> T whileCollecting(Supplier<T> work) {
        AtomicBoolean done = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            while (!done.get()) {
                FreedDirectMemory.collectAndReuse(500);
            }
        }, "gc-storm");
        collector.setDaemon(true);
        collector.start();
        try {
            return work.get();
        } finally {
            done.set(true);
        }
    }
}
