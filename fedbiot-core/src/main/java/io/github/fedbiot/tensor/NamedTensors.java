/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable, ordered map from tensor name to {@link Tensor}: the unit in which fedbiot moves weights
 * (LoRA adapters, emulator LoRA, client updates, checkpoints) between the engine, the algorithms and the
 * network. Names follow Hugging Face / PEFT conventions, e.g.
 * {@code model.layers.30.self_attn.q_proj.lora_A.weight}.
 */
public final class NamedTensors {
    private static final NamedTensors EMPTY = new NamedTensors(new LinkedHashMap<>());

    private final Map<String, Tensor> tensors;

    private NamedTensors(LinkedHashMap<String, Tensor> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Returns the empty collection. @return an empty instance */
    public static NamedTensors empty() {
        return EMPTY;
    }

    /**
     * Returns a collection holding the given tensors in the map's iteration order.
     *
     * @param tensors name to tensor
     * @return an immutable copy
     */
    public static NamedTensors of(Map<String, Tensor> tensors) {
        LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((k, v) -> copy.put(requireName(k), java.util.Objects.requireNonNull(v, k)));
        return new NamedTensors(copy);
    }

    /** Returns a new builder. @return a builder keeping insertion order */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the names in order. @return an unmodifiable view */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** Returns the tensors by name in order. @return an unmodifiable view */
    public Map<String, Tensor> asMap() {
        return tensors;
    }

    /**
     * Returns the tensor named {@code name}.
     *
     * @param name the tensor name
     * @return the tensor
     * @throws IllegalArgumentException if there is no such tensor
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'");
        }
        return t;
    }

    /**
     * Returns whether a tensor of this name exists.
     *
     * @param name the tensor name
     * @return true if present
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Returns the number of tensors. @return the count */
    public int size() {
        return tensors.size();
    }

    /** Returns whether there are no tensors. @return true if empty */
    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** Returns the total number of scalar values. @return the sum of element counts */
    public long numel() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /** Returns the size of the values as float32, in bytes. @return {@code 4 * numel()} */
    public long byteSize() {
        return 4L * numel();
    }

    /** Returns whether every value of every tensor is finite. @return true if all finite */
    public boolean isFinite() {
        return tensors.values().stream().allMatch(Tensor::isFinite);
    }

    /**
     * Returns the tensors whose names match a predicate, in order.
     *
     * @param keep which names to keep
     * @return the subset
     */
    public NamedTensors filter(Predicate<String> keep) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (keep.test(k)) {
                out.put(k, v);
            }
        });
        return new NamedTensors(out);
    }

    /**
     * Returns this collection with the tensors of {@code other} added; a name in both takes the value of
     * {@code other}.
     *
     * @param other tensors to add or replace
     * @return the union
     */
    public NamedTensors with(NamedTensors other) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>(tensors);
        out.putAll(other.tensors);
        return new NamedTensors(out);
    }

    /**
     * Returns whether {@code other} has exactly the same names (in any order) and shapes.
     *
     * @param other another collection
     * @return true if the layouts match
     */
    public boolean sameLayout(NamedTensors other) {
        if (!tensors.keySet().equals(other.tensors.keySet())) {
            return false;
        }
        for (var e : tensors.entrySet()) {
            if (!e.getValue().sameShape(other.tensors.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the largest absolute difference over all tensors of two collections with the same layout.
     *
     * @param other a collection with the same layout
     * @return {@code max |this - other|}
     */
    public double maxAbsDiff(NamedTensors other) {
        requireSameLayout(other, "maxAbsDiff");
        double m = 0;
        for (var e : tensors.entrySet()) {
            m = Math.max(m, e.getValue().maxAbsDiff(other.tensors.get(e.getKey())));
        }
        return m;
    }

    /**
     * Returns the weighted sum {@code sum_i w_i * x_i} of collections with the same layout, accumulated in
     * double precision. With weights that sum to one this is the weighted mean used by FedAvg.
     *
     * @param items the collections, all with the layout of the first
     * @param weights one finite weight per collection
     * @return a new collection in the order of the first item
     * @throws IllegalArgumentException if the counts differ, a weight is not finite or a layout differs (the
     *     message names the item and the tensor)
     */
    public static NamedTensors weightedSum(List<NamedTensors> items, double[] weights) {
        if (items.isEmpty() || items.size() != weights.length) {
            throw new IllegalArgumentException(
                    "weightedSum needs one weight per item, got " + items.size() + " items and "
                            + weights.length + " weights");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("weightedSum: weight " + i + " is " + weights[i]);
            }
        }
        NamedTensors first = items.get(0);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw new IllegalArgumentException("weightedSum: item " + i + " is null");
            }
            first.requireSameLayout(items.get(i), "weightedSum item " + i);
        }
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (var e : first.tensors.entrySet()) {
            int n = e.getValue().numel();
            double[] acc = new double[n];
            for (int i = 0; i < items.size(); i++) {
                float[] x = items.get(i).tensors.get(e.getKey()).data();
                double w = weights[i];
                for (int j = 0; j < n; j++) {
                    acc[j] += w * x[j];
                }
            }
            float[] f = new float[n];
            for (int j = 0; j < n; j++) {
                f[j] = (float) acc[j];
            }
            out.put(e.getKey(), new Tensor(e.getValue().shape(), f));
        }
        return new NamedTensors(out);
    }

    /**
     * Throws unless {@code other} has the same names and shapes, naming the first difference.
     *
     * @param other the collection to check
     * @param what the operation, for the message
     */
    public void requireSameLayout(NamedTensors other, String what) {
        for (var e : tensors.entrySet()) {
            Tensor o = other.tensors.get(e.getKey());
            if (o == null) {
                throw new IllegalArgumentException(what + ": missing tensor '" + e.getKey() + "'");
            }
            if (!o.sameShape(e.getValue())) {
                throw new IllegalArgumentException(what + ": tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(o.shape()) + ", expected " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String k : other.tensors.keySet()) {
            if (!tensors.containsKey(k)) {
                throw new IllegalArgumentException(what + ": unexpected tensor '" + k + "'");
            }
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor names must be non-empty");
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensors n && tensors.equals(n.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "NamedTensors" + tensors.keySet() + " (" + numel() + " values)";
    }

    /** Assembles a {@link NamedTensors} in insertion order. */
    public static final class Builder {
        private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a tensor; a repeated name is an error.
         *
         * @param name the tensor name
         * @param tensor the tensor
         * @return this builder
         */
        public Builder add(String name, Tensor tensor) {
            if (tensors.putIfAbsent(requireName(name), java.util.Objects.requireNonNull(tensor, name)) != null) {
                throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
            }
            return this;
        }

        /** Builds the immutable collection. @return the tensors added */
        public NamedTensors build() {
            return new NamedTensors(new LinkedHashMap<>(tensors));
        }
    }
}
