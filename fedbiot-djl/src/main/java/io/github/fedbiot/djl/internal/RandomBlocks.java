/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDManager;
import io.github.fedbiot.djl.internal.weights.StoredWeights;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.HalfFloats;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded random weights drawn directly as GGUF blocks, for benchmarks of models whose float32 weights would not
 * fit in memory: every quant is uniform (all 256 or 16 codes), every block scale is drawn in
 * {@code [0.5, 1.5)} of the value that gives the weights a standard deviation of about 0.02, Q4_1's minimum is
 * {@code -8 d}; norms are 1. Each row draws from its own stream (seed, tensor, row), so the values do not
 * depend on how rows are batched. Nothing here is a float32 copy of a matrix.
 */
public final class RandomBlocks {
    private static final double STD = 0.02;

    private RandomBlocks() {}

    /**
     * Draws the weights.
     *
     * @param spec a LLaMA-family shape
     * @param seed the seed
     * @param format Q8_0, Q4_0 or Q4_1
     * @return the weights, owning their base manager
     */
    public static ModelWeights weights(ModelSpec spec, long seed, WeightFormat format) {
        if (!format.isBlockQuantized() || spec.architecture() == Architecture.GPT2) {
            throw new IllegalArgumentException("random blocks need a LLaMA-family model and a block format, not "
                    + spec.architecture() + " / " + format);
        }
        NDManager manager = WeightLoader.newBaseManager();
        StoredWeights factory = new StoredWeights(manager);
        try {
            // uniform codes: Q8_0 std = 73.9 d (codes -128..127), Q4 std = 4.61 d (codes 0..15)
            double d = format == WeightFormat.Q8_0 ? STD / 73.9 : STD / 4.61;
            return ModelWeights.assemble(spec, manager, factory, name -> {
                int[] shape = ModelWeights.engineShape(spec, name);
                if (StoredWeights.applicable(format, shape) != format) {
                    float[] ones = new float[Math.toIntExact(Arrays.stream(shape).asLongStream()
                            .reduce(1, (a, b) -> a * b))];
                    Arrays.fill(ones, 1f);
                    return factory.fromFloats(ones, shape, WeightFormat.F32);
                }
                int rows = shape[0];
                int nb = shape[1] / 32;
                int qBytes = format == WeightFormat.Q8_0 ? 32 : 16;
                long key = seed * 0x9E3779B97F4A7C15L + name.hashCode();
                return factory.blocks(format, rows, shape[1],
                        (r, out) -> {
                            SplittableRandom rng = new SplittableRandom(key * 31 + r);
                            for (int i = 0; i < nb * qBytes; i += 8) {
                                out.putLong(rng.nextLong());
                            }
                        },
                        (r, out) -> {
                            SplittableRandom rng = new SplittableRandom(~(key * 31 + r));
                            for (int b = 0; b < nb; b++) {
                                out.putShort(HalfFloats.floatToF16((float) (d * (0.5 + rng.nextDouble()))));
                            }
                        },
                        format != WeightFormat.Q4_1 ? null : (r, out) -> {
                            SplittableRandom rng = new SplittableRandom(~(key * 31 + r));
                            for (int b = 0; b < nb; b++) {
                                out.putShort(HalfFloats.floatToF16((float) (-8 * d * (0.5 + rng.nextDouble()))));
                            }
                        });
            });
        } catch (RuntimeException e) {
            factory.close();
            manager.close();
            throw e;
        }
    }
}
