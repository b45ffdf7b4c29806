/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layerwise activation checkpointing for one micro-batch. {@link #run} runs a sequence of decoder layers with
 * autograd off, keeping only each layer's input (and the LoRA dropout masks it drew), and returns the output as
 * a new leaf that requires a gradient, so the loss's backward pass stops there. After that backward pass,
 * {@link #backward} walks the segments in reverse: each layer is run again from its saved input with the graph
 * on and back-propagated with the gradient of its output, which gives the LoRA gradients of that layer and the
 * gradient of its input; then the layer's graph and widened weights are freed. So at most one layer's graph and
 * one layer's float32 weights are alive at a time, in the forward and the backward pass; the cost is one more
 * forward pass of the layers that need a gradient. DJL has no {@code backward(gradient)}, so the per-layer
 * backward is PyTorch's own ({@code JniUtils.backward} with the upstream gradient).
 *
 * <p>A segment whose input is another segment's output passes its input gradient on to that segment; layers
 * below the lowest trainable layer of a segment whose input needs no gradient are not recomputed.
 */
public final class LayerCheckpoints implements AutoCloseable {
    private final DecoderStack stack;
    private final List<Segment> segments = new ArrayList<>();

    private record Segment(NDArray input, boolean inputNeedsGrad, List<Integer> layers, List<NDArray> inputs,
            List<MaskTape> tapes, LoraSet lora, ForwardContext ctx, NDArray output) {}

    /**
     * Creates the checkpoints of one micro-batch.
     *
     * @param stack the forward pass
     */
    public LayerCheckpoints(DecoderStack stack) {
        this.stack = stack;
    }

    /**
     * Runs layers without a graph and records them for {@link #backward}.
     *
     * @param x the input; if it is the output of an earlier {@link #run}, its gradient flows back to that run
     * @param layers the layers, in order
     * @param lora the LoRA to apply
     * @param ctx the pass's context
     * @return the output, a leaf that requires a gradient
     */
    public NDArray run(NDArray x, List<Integer> layers, LoraSet lora, ForwardContext ctx) {
        boolean inputNeedsGrad = segments.stream().anyMatch(s -> s.output() == x);
        List<NDArray> inputs = new ArrayList<>();
        List<MaskTape> tapes = new ArrayList<>();
        NDArray h = x;
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int layer : layers) {
                inputs.add(h);
                MaskTape tape = new MaskTape();
                tapes.add(tape);
                h = stack.layer(h, layer, lora.withTape(tape), ctx);
                tape.adoptIntoCurrentScope();
            }
        } finally {
            JniUtils.setGradMode(before);
        }
        NDArray out = h == x ? x.duplicate() : h;
        out.setRequiresGradient(true);
        segments.add(new Segment(x, inputNeedsGrad, List.copyOf(layers), inputs, tapes, lora, ctx, out));
        return out;
    }

    /**
     * Back-propagates the gradients that the loss's backward pass left on the segments' outputs through their
     * layers, accumulating the LoRA gradients. Call once, after that backward pass, with the gradient collector
     * still open.
     */
    public void backward() {
        Map<NDArray, NDArray> passed = new IdentityHashMap<>();
        for (int s = segments.size() - 1; s >= 0; s--) {
            Segment seg = segments.get(s);
            NDArray g = seg.output().getGradient().duplicate();
            NDArray more = passed.remove(seg.output());
            if (more != null) {
                g = g.addi(more);
            }
            int lowest = seg.inputNeedsGrad() ? 0 : lowestTrainable(seg);
            for (int p = seg.layers().size() - 1; p >= lowest; p--) {
                boolean needInput = p > lowest || seg.inputNeedsGrad();
                NDArray next = null;
                try (NDScope scope = new NDScope()) {
                    NDArray in = seg.inputs().get(p).stopGradient();
                    if (needInput) {
                        in.setRequiresGradient(true);
                    }
                    MaskTape tape = seg.tapes().get(p);
                    tape.rewind();
                    NDArray y = stack.layer(in, seg.layers().get(p), seg.lora().withTape(tape), seg.ctx());
                    JniUtils.backward((PtNDArray) y, (PtNDArray) g, false, false);
                    if (needInput) {
                        next = in.getGradient().duplicate();
                        NDScope.unregister(next);
                    }
                }
                g.close();
                g = next;
                if (g != null) {
                    NDScope.register(g);
                }
            }
            if (seg.inputNeedsGrad() && g != null) {
                passed.merge(seg.input(), g, NDArray::addi);
            }
        }
    }

    private static int lowestTrainable(Segment seg) {
        for (int p = 0; p < seg.layers().size(); p++) {
            if (seg.lora().hasTrainable(seg.layers().get(p))) {
                return p;
            }
        }
        return seg.layers().size();
    }

    /** Frees the recorded masks (the saved inputs belong to the micro-batch's scope). */
    @Override
    public void close() {
        segments.forEach(s -> s.tapes().forEach(MaskTape::close));
        segments.clear();
    }
}
