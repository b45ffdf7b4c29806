/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Flower's {@code ArrayRecord}: an ordered map from name to {@link Array}. A Python {@code ArrayRecord(list)}
 * uses the keys {@code "0"}, {@code "1"}, ... in list order.
 */
public final class ArrayRecord implements Record {
    private final Map<String, Array> arrays;

    private ArrayRecord(Map<String, Array> arrays) {
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a float32 record of tensors, keeping their names and order.
     *
     * @param tensors the tensors
     * @return the record
     */
    public static ArrayRecord fromNamedTensors(NamedTensors tensors) {
        Builder b = builder();
        tensors.asMap().forEach((k, v) -> b.add(k, Array.fromTensor(v)));
        return b.build();
    }

    /**
     * Returns the arrays as float32 tensors under the same names.
     *
     * @return the tensors
     * @throws RecordException naming the first array whose dtype is not floating point
     */
    public NamedTensors toNamedTensors() {
        NamedTensors.Builder b = NamedTensors.builder();
        arrays.forEach((k, v) -> {
            try {
                b.add(k, v.toTensor());
            } catch (RecordException e) {
                throw new RecordException("array '" + k + "': " + e.getMessage(), e);
            }
        });
        return b.build();
    }

    /** Returns the arrays in order. @return an unmodifiable map */
    public Map<String, Array> asMap() {
        return arrays;
    }

    /**
     * Returns an array by name.
     *
     * @param key the name
     * @return the array
     * @throws IllegalArgumentException if there is none
     */
    public Array get(String key) {
        Array a = arrays.get(key);
        if (a == null) {
            throw new IllegalArgumentException("no array '" + key + "' in ArrayRecord; keys: " + arrays.keySet());
        }
        return a;
    }

    /** {@inheritDoc} */
    @Override
    public int size() {
        return arrays.size();
    }

    /** Returns the total {@code .npy} bytes. @return the sum of array data lengths */
    public long byteSize() {
        return arrays.values().stream().mapToLong(Array::byteSize).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayRecord r && arrays.equals(r.arrays);
    }

    @Override
    public int hashCode() {
        return arrays.hashCode();
    }

    @Override
    public String toString() {
        return "ArrayRecord" + arrays;
    }

    /** Assembles an {@link ArrayRecord} in insertion order. */
    public static final class Builder {
        private final LinkedHashMap<String, Array> arrays = new LinkedHashMap<>();

        Builder() {}

        /**
         * Adds an array; a repeated or empty name is an error.
         *
         * @param key the name
         * @param array the array
         * @return this builder
         */
        public Builder add(String key, Array array) {
            Keys.check(key, "ArrayRecord");
            if (arrays.putIfAbsent(key, Objects.requireNonNull(array, key)) != null) {
                throw new IllegalArgumentException("duplicate array '" + key + "'");
            }
            return this;
        }

        /**
         * Adds a tensor as a float32 array.
         *
         * @param key the name
         * @param tensor the tensor
         * @return this builder
         */
        public Builder add(String key, Tensor tensor) {
            return add(key, Array.fromTensor(tensor));
        }

        /** Builds the record. @return the record */
        public ArrayRecord build() {
            return new ArrayRecord(new LinkedHashMap<>(arrays));
        }
    }
}
