/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.fedbiot.engine.OptimizerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flat multi-tensor AdamW against the textbook per-element update computed in doubles. */
class AdamWTest {
    private static final OptimizerConfig CONFIG = new OptimizerConfig(1e-2, 0.9, 0.95, 1e-8, 0.1);

    /** Sets each parameter's gradient to {@code coefficients} by differentiating {@code sum(p * c)}. */
    private static void backward(NDManager m, List<NDArray> params, List<float[]> coefficients) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < params.size(); i++) {
                NDArray c = Ops.owned(m, coefficients.get(i), params.get(i).getShape());
                NDArray term = params.get(i).mul(c).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    @Test
    void matchesTheTextbookUpdateOfEveryTensor() {
        float[][] start = {{0.5f, -1f, 2f, 0f, 3f, -0.25f}, {1f, 2f}, {-4f}};
        Shape[] shapes = {new Shape(2, 3), new Shape(2), new Shape(1, 1)};
        float[][][] grads = {
            {{0.1f, -0.2f, 0.3f, 0f, 5f, -7f}, {0.01f, -1f}, {2f}},
            {{-0.3f, 0.2f, 0.1f, 1f, -5f, 7f}, {0.02f, 1f}, {-1f}},
        };
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            List<NDArray> params = new java.util.ArrayList<>();
            for (int i = 0; i < start.length; i++) {
                NDArray p = Ops.owned(m, start[i], shapes[i]);
                p.setRequiresGradient(true);
                params.add(p);
            }
            AdamW opt = new AdamW(CONFIG, params, m);
            double[][] expected = new double[start.length][];
            double[][] mom = new double[start.length][];
            double[][] vel = new double[start.length][];
            for (int i = 0; i < start.length; i++) {
                expected[i] = new double[start[i].length];
                for (int j = 0; j < start[i].length; j++) {
                    expected[i][j] = start[i][j];
                }
                mom[i] = new double[start[i].length];
                vel[i] = new double[start[i].length];
            }
            for (int t = 1; t <= grads.length; t++) {
                backward(m, params, List.of(grads[t - 1]));
                assertThat(opt.step()).isTrue();
                for (int i = 0; i < start.length; i++) {
                    for (int j = 0; j < start[i].length; j++) {
                        double g = grads[t - 1][i][j];
                        mom[i][j] = 0.9 * mom[i][j] + 0.1 * g;
                        vel[i][j] = 0.95 * vel[i][j] + 0.05 * g * g;
                        double mh = mom[i][j] / (1 - Math.pow(0.9, t));
                        double vh = vel[i][j] / (1 - Math.pow(0.95, t));
                        expected[i][j] = expected[i][j] * (1 - 1e-2 * 0.1) - 1e-2 * mh / (Math.sqrt(vh) + 1e-8);
                    }
                }
            }
            assertThat(opt.steps()).isEqualTo(2);
            for (int i = 0; i < start.length; i++) {
                assertThat(params.get(i).getShape()).isEqualTo(shapes[i]);
                float[] got = params.get(i).toFloatArray();
                for (int j = 0; j < got.length; j++) {
                    assertThat((double) got[j]).as("tensor %d element %d", i, j).isCloseTo(expected[i][j],
                            within(1e-5));
                }
                // the gradients were consumed
                assertThat(params.get(i).getGradient().abs().sum().getFloat()).isZero();
            }
        }
    }

    @Test
    void aSingleTensorTakesTheFirstStepOfSizeLr() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray a = Ops.owned(m, new float[] {1f, -2f, 0.5f}, new Shape(3));
            a.setRequiresGradient(true);
            OptimizerConfig noDecay = new OptimizerConfig(0.1, 0.9, 0.95, 1e-8, 0.0);
            AdamW opt = new AdamW(noDecay, List.of(a), m);
            backward(m, List.of(a), List.of(new float[] {3f, -0.5f, 0f}));
            assertThat(opt.step()).isTrue();
            // bias-corrected first step: m / sqrt(v) = sign(g), so each element moves by lr against its gradient
            float[] got = a.toFloatArray();
            assertThat((double) got[0]).isCloseTo(0.9, within(1e-6));
            assertThat((double) got[1]).isCloseTo(-1.9, within(1e-6));
            assertThat((double) got[2]).isCloseTo(0.5, within(1e-6));
        }
    }

    @Test
    void aNonFiniteGradientAnywhereSkipsTheWholeUpdate() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray a = Ops.owned(m, new float[] {1f, 2f}, new Shape(2));
            NDArray b = Ops.owned(m, new float[] {3f}, new Shape(1));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            AdamW opt = new AdamW(CONFIG, List.of(a, b), m);
            backward(m, List.of(a, b), List.of(new float[] {0.5f, 0.5f}, new float[] {Float.NaN}));
            assertThat(opt.step()).isFalse();
            assertThat(opt.steps()).isZero();
            assertThat(a.toFloatArray()).containsExactly(1f, 2f);
            assertThat(b.toFloatArray()).containsExactly(3f);
            assertThat(a.getGradient().abs().sum().getFloat()).isZero();
        }
    }
}
