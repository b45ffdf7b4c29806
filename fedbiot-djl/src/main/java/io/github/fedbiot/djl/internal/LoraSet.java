/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The LoRA tensors of one call as NDArrays in the call's manager, looked up by (layer, module). A module's
 * output becomes {@code base(x) + scaling * (dropout(x) A^T) B^T} (not merged; computed through the rank-r
 * bottleneck). In training mode dropout applies to every adapted module, frozen or trainable, as PEFT's
 * {@code lora_dropout} does for every active adapter of a model in {@code train()} mode (a client's frozen
 * emulator LoRA, the server's frozen adapter LoRA during alignment); the masks come from a
 * {@link SplittableRandom} seeded per call, so runs are repeatable.
 */
public final class LoraSet {
    /** One adapted module. */
    public record Module(int layer, String module, String nameA, String nameB, NDArray a, NDArray b,
            boolean trainable) {}

    /** A parsed LoRA tensor name. */
    public record Key(int layer, String module, boolean isA) {}

    private static final LoraSet NONE = new LoraSet(Map.of(), 1, 0, 0, null);

    private final Map<Integer, Map<String, Module>> byLayer;
    private final float scaling;
    private final NDArray scalingArray; // PyTorch-owned, for the autograd graph (see Ops.scalar)
    private final double dropout;
    private final SplittableRandom rng;
    private final MaskTape tape;

    private LoraSet(Map<Integer, Map<String, Module>> byLayer, double scaling, double dropout, long seed,
            NDArray scalingArray) {
        this(byLayer, (float) scaling, dropout, new SplittableRandom(seed), scalingArray, null);
    }

    private LoraSet(Map<Integer, Map<String, Module>> byLayer, float scaling, double dropout, SplittableRandom rng,
            NDArray scalingArray, MaskTape tape) {
        this.byLayer = byLayer;
        this.scaling = scaling;
        this.scalingArray = scalingArray;
        this.dropout = dropout;
        this.rng = rng;
        this.tape = tape;
    }

    /**
     * Returns this set with its dropout masks recorded on, or replayed from, a tape (the same modules, arrays and
     * random stream), so that a layer recomputed in the backward pass drops what its forward pass dropped.
     *
     * @param maskTape the tape
     * @return the set
     */
    public LoraSet withTape(MaskTape maskTape) {
        return new LoraSet(byLayer, scaling, dropout, rng, scalingArray, maskTape);
    }

    /**
     * Returns whether a layer has a trainable module.
     *
     * @param layer the layer index
     * @return true if some module of the layer gets gradients
     */
    public boolean hasTrainable(int layer) {
        Map<String, Module> m = byLayer.get(layer);
        return m != null && m.values().stream().anyMatch(Module::trainable);
    }

    /**
     * Returns the empty set (no module adapted).
     *
     * @return the empty set
     */
    public static LoraSet none() {
        return NONE;
    }

    /**
     * Validates LoRA tensors against the model and the spec.
     *
     * @param spec the model
     * @param lora the LoRA settings, targets valid for the family
     * @param tensors the tensors
     * @param what what the tensors are, for messages (e.g. {@code trainable LoRA})
     * @return the parsed key of every tensor, in order
     * @throws IllegalArgumentException for an unknown name, a module not targeted, a wrong shape, a missing
     *     A/B partner or a non-finite value
     */
    public static Map<String, Key> validate(ModelSpec spec, LoraSpec lora, NamedTensors tensors, String what) {
        Architecture arch = spec.architecture();
        Map<String, Key> keys = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.asMap().entrySet()) {
            String name = e.getKey();
            Key key = parse(spec, name);
            if (key == null) {
                throw new IllegalArgumentException(what + ": unknown LoRA tensor '" + name + "' (expected names like '"
                        + LoraNames.loraA(arch, 0, lora.targets().get(0)) + "' for layers 0.."
                        + (spec.numLayers() - 1) + ")");
            }
            if (!lora.targets().contains(key.module())) {
                throw new IllegalArgumentException(what + ": LoRA tensor '" + name + "' adapts module '"
                        + key.module() + "', which is not among the LoRA targets " + lora.targets());
            }
            int[] dims = LoraNames.moduleDims(spec, key.module());
            int[] expected = key.isA() ? new int[] {lora.rank(), dims[0]} : new int[] {dims[1], lora.rank()};
            if (!e.getValue().hasShape(expected)) {
                throw new IllegalArgumentException(what + ": LoRA tensor '" + name + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + ", expected " + Arrays.toString(expected)
                        + " (rank " + lora.rank() + ")");
            }
            if (!e.getValue().isFinite()) {
                throw new IllegalArgumentException(what + ": LoRA tensor '" + name + "' has non-finite values");
            }
            String partner = key.isA() ? LoraNames.loraB(arch, key.layer(), key.module())
                    : LoraNames.loraA(arch, key.layer(), key.module());
            if (!tensors.contains(partner)) {
                throw new IllegalArgumentException(what + ": LoRA tensor '" + name + "' has no partner '" + partner
                        + "'");
            }
            keys.put(name, key);
        }
        return keys;
    }

    /**
     * Parses a LoRA tensor name.
     *
     * @param spec the model
     * @param name the name
     * @return the key, or null if the name is not a LoRA tensor of this model
     */
    public static Key parse(ModelSpec spec, String name) {
        Architecture arch = spec.architecture();
        int layer = LoraNames.layerOf(name);
        if (layer < 0 || layer >= spec.numLayers()) {
            return null;
        }
        for (String module : arch.loraTargets()) {
            if (name.equals(LoraNames.loraA(arch, layer, module))) {
                return new Key(layer, module, true);
            }
            if (name.equals(LoraNames.loraB(arch, layer, module))) {
                return new Key(layer, module, false);
            }
        }
        return null;
    }

    /**
     * Builds the arrays of one call.
     *
     * @param manager the call's manager
     * @param spec the model
     * @param lora the LoRA settings, targets valid for the family
     * @param frozen tensors applied but not trained
     * @param trainable tensors to train (their arrays get gradients)
     * @param seed the dropout seed
     * @return the set
     */
    public static LoraSet build(NDManager manager, ModelSpec spec, LoraSpec lora, NamedTensors frozen,
            NamedTensors trainable, long seed) {
        Map<String, Key> fk = validate(spec, lora, frozen, "frozen LoRA");
        Map<String, Key> tk = validate(spec, lora, trainable, "trainable LoRA");
        for (String n : tk.keySet()) {
            if (fk.containsKey(n)) {
                throw new IllegalArgumentException("LoRA tensor '" + n + "' is both frozen and trainable");
            }
        }
        Map<Integer, Map<String, Module>> byLayer = new HashMap<>();
        addAll(manager, spec, frozen, fk, false, byLayer);
        addAll(manager, spec, trainable, tk, true, byLayer);
        return new LoraSet(byLayer, lora.scaling(), lora.dropout(), seed,
                Ops.scalar(manager, (float) lora.scaling()));
    }

    private static void addAll(NDManager manager, ModelSpec spec, NamedTensors tensors, Map<String, Key> keys,
            boolean trainable, Map<Integer, Map<String, Module>> byLayer) {
        Architecture arch = spec.architecture();
        for (Key k : keys.values()) {
            if (!k.isA()) {
                continue;
            }
            String na = LoraNames.loraA(arch, k.layer(), k.module());
            String nb = LoraNames.loraB(arch, k.layer(), k.module());
            NDArray a = toArray(manager, tensors.get(na));
            NDArray b = toArray(manager, tensors.get(nb));
            if (trainable) {
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
            }
            byLayer.computeIfAbsent(k.layer(), l -> new HashMap<>())
                    .put(k.module(), new Module(k.layer(), k.module(), na, nb, a, b, trainable));
        }
    }

    static NDArray toArray(NDManager manager, Tensor t) {
        return Ops.owned(manager, t.data(), new Shape(ModelWeights.toLong(t.shape())));
    }

    /**
     * Returns the LoRA scaling {@code alpha / r}.
     *
     * @return the scaling
     */
    public float scaling() {
        return scaling;
    }

    /**
     * Returns the modules, frozen and trainable, in layer order.
     *
     * @return the modules
     */
    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        byLayer.keySet().stream().sorted().forEach(l -> byLayer.get(l).values().stream()
                .sorted((x, y) -> x.nameA().compareTo(y.nameA())).forEach(out::add));
        return out;
    }

    /**
     * Returns the trainable modules.
     *
     * @return the modules whose arrays get gradients
     */
    public List<Module> trainable() {
        return modules().stream().filter(Module::trainable).toList();
    }

    /**
     * Returns the arrays an optimizer updates: A then B of every trainable module, in {@link #trainable()} order.
     *
     * @return the arrays
     */
    public List<NDArray> trainableArrays() {
        List<NDArray> out = new ArrayList<>();
        for (Module mod : trainable()) {
            out.add(mod.a());
            out.add(mod.b());
        }
        return out;
    }

    /**
     * Returns a module's weight update {@code scaling * B A} (differentiable in A and B).
     *
     * @param a the A matrix {@code [r, in]}
     * @param b the B matrix {@code [out, r]}
     * @return {@code [out, in]}
     */
    public NDArray merged(NDArray a, NDArray b) {
        return b.matMul(a).muli(scalingArray);
    }

    /**
     * Adds the LoRA update of a module to its base output.
     *
     * @param layer the layer index
     * @param module the module name
     * @param x the module input {@code [..., in]}
     * @param baseOut the frozen projection's output {@code [..., out]}
     * @param training whether dropout is active (on frozen and trainable modules alike)
     * @return {@code baseOut + scaling * (dropout(x) A^T) B^T}, or {@code baseOut} if the module is not adapted
     */
    public NDArray apply(int layer, String module, NDArray x, NDArray baseOut, boolean training) {
        Map<String, Module> m = byLayer.get(layer);
        Module mod = m == null ? null : m.get(module);
        if (mod == null) {
            return baseOut;
        }
        NDArray in = x;
        if (training && dropout > 0) {
            NDArray mask;
            if (tape != null && tape.replaying()) {
                mask = tape.next();
            } else {
                synchronized (rng) { // one stream per call, drawn in the order of the forward pass
                    mask = DropoutMask.draw(x.getManager(), x.getShape(), dropout, rng);
                }
                if (tape != null) {
                    tape.record(mask);
                }
            }
            in = x.mul(mask);
        }
        NDArray low = Ops.linear(in, mod.a(), null);
        NDArray up = Ops.linear(low, mod.b(), null);
        return baseOut.add(up.muli(scalingArray));
    }

    /**
     * Copies the trainable tensors to the heap, in the given order of names.
     *
     * @param order the names in output order (the request's trainable tensors)
     * @return the tensors
     */
    public NamedTensors trainableToHeap(NamedTensors order) {
        Map<String, NDArray> byName = new HashMap<>();
        for (Module mod : trainable()) {
            byName.put(mod.nameA(), mod.a());
            byName.put(mod.nameB(), mod.b());
        }
        NamedTensors.Builder b = NamedTensors.builder();
        for (Map.Entry<String, Tensor> e : order.asMap().entrySet()) {
            b.add(e.getKey(), new Tensor(e.getValue().shape(), byName.get(e.getKey()).toFloatArray()));
        }
        return b.build();
    }
}
