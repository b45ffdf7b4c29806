/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.fedbiot.engine.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter) with decoupled weight decay, as {@code torch.optim.AdamW}:
 * <pre>
 * m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 * p = p (1 - lr wd) - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * The state is fresh per instance. {@link #step()} runs with autograd off, after the gradient collector
 * has closed, and zeroes the gradients it used.
 */
public final class AdamW {
    private final OptimizerConfig config;
    private final List<NDArray> params;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    /**
     * Creates the optimizer.
     *
     * @param config the settings
     * @param params the parameters (with gradients attached)
     * @param manager the manager for the moment estimates
     */
    public AdamW(OptimizerConfig config, List<NDArray> params, NDManager manager) {
        this.config = config;
        this.params = List.copyOf(params);
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape()));
            v.add(manager.zeros(p.getShape()));
        }
    }

    /**
     * Applies one update from the accumulated gradients and zeroes them; when a gradient is not finite (an
     * overflow the loss did not show), nothing is updated.
     *
     * @return whether the update was applied
     */
    public boolean step() {
        if (!gradientsFinite()) {
            params.forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
            return false;
        }
        t++;
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float lr = (float) config.learningRate();
        float bc1 = (float) (1 - Math.pow(config.beta1(), t));
        float bc2 = (float) (1 - Math.pow(config.beta2(), t));
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                try (NDArray g = p.getGradient()) {
                    NDArray mi = m.get(i).muli(b1).addi(g.mul(1 - b1));
                    NDArray vi = v.get(i).muli(b2).addi(g.square().muli(1 - b2));
                    NDArray denom = vi.div(bc2).sqrt().addi((float) config.epsilon());
                    NDArray update = mi.div(bc1).divi(denom).muli(lr);
                    if (config.weightDecay() > 0) {
                        p.muli((float) (1 - config.learningRate() * config.weightDecay()));
                    }
                    p.subi(update);
                    denom.close();
                    update.close();
                }
                JniUtils.zeroGrad((PtNDArray) p);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return true;
    }

    private boolean gradientsFinite() {
        for (NDArray p : params) {
            try (NDArray g = p.getGradient(); NDArray s = g.abs().sum()) {
                if (!Float.isFinite(s.getFloat())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Returns how many updates were applied.
     *
     * @return the step count
     */
    public int steps() {
        return t;
    }
}
