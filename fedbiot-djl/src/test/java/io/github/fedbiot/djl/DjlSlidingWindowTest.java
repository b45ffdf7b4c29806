/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sliding-window models in every engine path: a prompt longer than the window, right padding, and training
 * through the banded mask.
 */
class DjlSlidingWindowTest {
    private static final LoraSpec LORA = new LoraSpec(4, 8, 0.0, List.of("q_proj", "v_proj"));

    @Test
    void promptLongerThanTheWindowGeneratesAsFullRecomputation() {
        ModelSpec spec = TinyModels.mistralSliding();
        List<Integer> stack = List.of(0, 1, 2);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 41, 0.3, null)) {
            int[] prompt = {5, 9, 13, 2, 40, 7, 11}; // 7 positions, window 4
            int[] got = model.generate(stack, LORA, NamedTensors.empty(), prompt, GenerationConfig.greedy(8));
            DjlGenerateTest.assertGreedyAsFullForwards(model, stack, LORA, NamedTensors.empty(), prompt, got);
        }
    }

    @Test
    void rightPaddingLeavesTheRealPositionsAlone() {
        ModelSpec spec = TinyModels.qwen2Sliding();
        List<Integer> stack = List.of(0, 2);
        int[] row = {3, 17, 42, 8, 8, 60, 1};
        int[] padded = Arrays.copyOf(row, 10); // three padding positions (id 0) after the real tokens
        int[] batch = new int[20];
        System.arraycopy(new int[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, 0, batch, 0, 10);
        System.arraycopy(padded, 0, batch, 10, 10);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 43, 0.3, null)) {
            int v = spec.vocabSize();
            float[] alone = model.logits(stack, LORA, NamedTensors.empty(), row, 1, row.length);
            float[] inBatch = model.logits(stack, LORA, NamedTensors.empty(), batch, 2, 10);
            float[] real = Arrays.copyOfRange(inBatch, 10 * v, 10 * v + row.length * v);
            double max = 0;
            for (int i = 0; i < real.length; i++) {
                max = Math.max(max, Math.abs(real[i] - alone[i]));
            }
            assertThat(max).isLessThan(1e-5);
        }
    }

    @Test
    void trainingThroughTheWindowLowersTheLoss() {
        ModelSpec spec = TinyModels.qwen2Sliding();
        List<Integer> stack = List.of(0, 1, 2);
        try (DjlBaseModel model = DjlBaseModel.random(spec, 45, null)) {
            NamedTensors start = LoraInit.create(spec, LORA, stack, 7);
            List<List<Batch>> steps = java.util.stream.IntStream.range(0, 30)
                    .mapToObj(i -> List.of(TinyModels.sequenceBatch(4, 16, 3, i % 4))).toList();
            OptimizerConfig opt = new OptimizerConfig(1e-2, 0.9, 0.999, 1e-8, 0.0);
            LocalTrainResult r = model.trainLocal(new LocalTrainRequest(stack, LORA, NamedTensors.empty(), start,
                    steps, opt, 0, true, 1));
            double before = model.evaluate(stack, LORA, start, steps.get(0)).meanLoss();
            double after = model.evaluate(stack, LORA, r.trainedLora(), steps.get(0)).meanLoss();
            assertThat(after).isLessThan(before - 0.1);
        }
    }
}
