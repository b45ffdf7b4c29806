/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.privacy;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;

/**
 * Flat L2 clipping of a model update, as Flower's {@code compute_adaptive_clip_model_update}: the update is
 * {@code u = sent - reference}, scaled by {@code min(1, C / ||u||_2)} over all tensors together, and added back
 * to the reference (McMahan et al. 2018, FlatClip).
 *
 * @see <a href="https://arxiv.org/abs/1710.06963">McMahan et al., Learning Differentially Private Recurrent
 *     Language Models (ICLR 2018)</a>
 */
public final class UpdateClipping {
    private UpdateClipping() {}

    /**
     * A clipped update.
     *
     * @param clipped {@code reference + min(1, C / norm) (sent - reference)}
     * @param norm the L2 norm of the update before clipping
     * @param wasClipped whether the scale was below 1 (Flower's {@code norm_bit})
     */
    public record Clipped(NamedTensors clipped, double norm, boolean wasClipped) {}

    /**
     * Returns the L2 norm of {@code sent - reference} over all tensors, in double precision.
     *
     * @param sent the client's tensors
     * @param reference the round's broadcast, same layout
     * @return the norm
     */
    public static double updateNorm(NamedTensors sent, NamedTensors reference) {
        reference.requireSameLayout(sent, "clipped update");
        double sq = 0;
        for (String name : reference.names()) {
            float[] a = sent.get(name).data();
            float[] b = reference.get(name).data();
            for (int i = 0; i < a.length; i++) {
                double d = (double) a[i] - b[i];
                sq += d * d;
            }
        }
        return Math.sqrt(sq);
    }

    /**
     * Clips the update of {@code sent} relative to {@code reference} to L2 norm {@code clippingNorm}.
     *
     * @param sent the client's tensors
     * @param reference the round's broadcast, same layout
     * @param clippingNorm C, positive
     * @return the clipped tensors (in the reference's order), the norm and whether clipping happened
     * @throws IllegalArgumentException if the layouts differ
     */
    public static Clipped clip(NamedTensors sent, NamedTensors reference, double clippingNorm) {
        double norm = updateNorm(sent, reference);
        double scale = norm == 0 ? 1 : Math.min(1, clippingNorm / norm);
        NamedTensors.Builder out = NamedTensors.builder();
        for (String name : reference.names()) {
            float[] a = sent.get(name).data();
            float[] b = reference.get(name).data();
            float[] c = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                c[i] = (float) (b[i] + scale * ((double) a[i] - b[i]));
            }
            out.add(name, new Tensor(reference.get(name).shape(), c));
        }
        return new Clipped(out.build(), norm, scale < 1);
    }
}
