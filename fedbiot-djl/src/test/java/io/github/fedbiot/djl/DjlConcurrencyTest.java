/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.EvalResult;
import io.github.fedbiot.engine.GenerationConfig;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent calls on one shared model give the results of the same calls made one after another. */
class DjlConcurrencyTest {
    @Test
    void concurrentCallsShareTheFrozenWeightsSafely() throws Exception {
        ModelSpec spec = TinyModels.llama();
        LoraSpec lora = new LoraSpec(4, 8, 0.1, List.of("q_proj", "v_proj"));
        LayerPlan plan = LayerPlan.lastK(spec.numLayers(), 2, 0.5);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 61, 0.3, null)) {
            NamedTensors adapter = LoraInit.create(spec, lora, plan.adapterLayers(), 1);
            List<Batch> data = List.of(TinyModels.sequenceBatch(4, 16, 2, 1));
            List<List<Batch>> steps = List.of(data, data);
            LocalTrainRequest req = new LocalTrainRequest(plan.compressedStack(), lora, NamedTensors.empty(), adapter,
                    steps, OptimizerConfig.DEFAULT.withLearningRate(1e-2), 0.1, true, 5);
            EvalResult eval = model.evaluate(plan.fullStack(), lora, adapter, data);
            int[] gen = model.generate(plan.fullStack(), lora, adapter, new int[] {3, 4}, GenerationConfig.greedy(6));
            LocalTrainResult train = model.trainLocal(req);
            int arrays = DjlModelProbe.nativeArrayCount(model);

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    futures.add(pool.submit(() -> model.evaluate(plan.fullStack(), lora, adapter, data)));
                    futures.add(pool.submit(() -> model.generate(plan.fullStack(), lora, adapter, new int[] {3, 4},
                            GenerationConfig.greedy(6))));
                    futures.add(pool.submit(() -> model.trainLocal(req)));
                }
                for (int i = 0; i < futures.size(); i++) {
                    Object r = futures.get(i).get();
                    switch (i % 3) {
                        case 0 -> assertThat(((EvalResult) r).lossSum()).isCloseTo(eval.lossSum(),
                                org.assertj.core.data.Offset.offset(1e-4));
                        case 1 -> assertThat((int[]) r).isEqualTo(gen);
                        default -> assertThat(((LocalTrainResult) r).trainedLora().maxAbsDiff(train.trainedLora()))
                                .isLessThan(1e-5);
                    }
                }
            } finally {
                pool.shutdown();
            }
            assertThat(DjlModelProbe.nativeArrayCount(model)).isEqualTo(arrays);
        }
    }
}
