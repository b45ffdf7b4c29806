/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LoRA dropout as PEFT applies it: in training mode to every adapted module, frozen or trainable, with masks
 * that repeat for the same seed; never in eval mode.
 */
class LoraSetDropoutTest {
    private static final ModelSpec SPEC = ModelSpec.llama(64, 32, 2, 4, 2, 64, 64, false);
    private static final LoraSpec LORA = new LoraSpec(4, 8, 0.5, List.of("q_proj", "v_proj"));

    private static NamedTensors randomLora(long seed) {
        NamedTensors init = LoraInit.create(SPEC, LORA, List.of(0), seed);
        SplittableRandom rng = new SplittableRandom(seed);
        NamedTensors.Builder b = NamedTensors.builder();
        for (Map.Entry<String, Tensor> e : init.asMap().entrySet()) {
            float[] d = new float[e.getValue().data().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) rng.nextGaussian();
            }
            b.add(e.getKey(), new Tensor(e.getValue().shape(), d));
        }
        return b.build();
    }

    private static float[] loraOutput(boolean frozen, boolean training, long seed) {
        NamedTensors lora = randomLora(3);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            LoraSet set = frozen ? LoraSet.build(m, SPEC, LORA, lora, NamedTensors.empty(), seed)
                    : LoraSet.build(m, SPEC, LORA, NamedTensors.empty(), lora, seed);
            float[] x = new float[2 * 5 * 32];
            SplittableRandom rng = new SplittableRandom(9);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            NDArray in = m.create(x, new Shape(2, 5, 32));
            NDArray base = m.zeros(new Shape(2, 5, 32));
            return set.apply(0, "q_proj", in, base, training).toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void dropoutAppliesInTrainingModeToFrozenAndTrainableModules(boolean frozen) {
        float[] eval = loraOutput(frozen, false, 1);
        float[] train = loraOutput(frozen, true, 1);
        assertThat(train).as("training mode drops inputs of the %s module", frozen ? "frozen" : "trainable")
                .isNotEqualTo(eval);
        assertThat(loraOutput(frozen, true, 1)).as("same seed, same masks").isEqualTo(train);
        assertThat(loraOutput(frozen, true, 2)).as("another seed, other masks").isNotEqualTo(train);
        assertThat(loraOutput(frozen, false, 2)).as("eval mode has no dropout").isEqualTo(eval);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void frozenAndTrainableModulesDropAlike(boolean training) {
        assertThat(loraOutput(true, training, 4)).isEqualTo(loraOutput(false, training, 4));
    }
}
