/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import io.github.fedbiot.ConfigException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How a model of N decoder layers is split into the adapter (trained by clients), the teacher (the
 * layers the emulator replaces) and the emulator (the teacher compressed by uniform layer drop).
 *
 * <p>The emulator keeps {@code k = round(n (1 - beta))} of the {@code n} teacher layers, at teacher
 * positions {@code floor(j * stride)} for {@code j < k}, with {@code stride = (n - 1) / (k - 1)} in double
 * precision, exactly as the FedBiOT reference code computes them. {@code round} is Python's (half to even)
 * applied to the double product, e.g. {@code 29 * 0.5 = 14.5 -> 14}. The first teacher layer is always kept;
 * the last one is kept unless the floating-point product falls just below {@code n - 1} (e.g. {@code n = 16},
 * {@code beta = 0.1}: {@code 13 * (15 / 13) = 14.999999999999998}, so layer 14 is kept instead of 15), which
 * the reference code does too.
 *
 * @param numLayers the model's decoder layer count N
 * @param adapterLayers the adapter's layer indices, ascending
 * @param teacherLayers the teacher's layer indices, ascending (contiguous)
 * @param emulatorLayers the kept teacher layers (model layer indices), ascending
 * @param dropRate the layer drop rate beta
 */
public record LayerPlan(int numLayers, List<Integer> adapterLayers, List<Integer> teacherLayers,
        List<Integer> emulatorLayers, double dropRate) {

    /**
     * Copies the lists and checks that they describe a split of {@code 0..numLayers-1}: adapter and teacher
     * are disjoint, ascending and together cover every layer, the teacher is contiguous and the emulator is
     * an ascending subset of the teacher that is empty exactly when the teacher is.
     *
     * @throws IllegalArgumentException if the lists are inconsistent
     */
    public LayerPlan {
        if (numLayers < 1) {
            throw new IllegalArgumentException("a layer plan needs at least one layer (found " + numLayers + ")");
        }
        adapterLayers = List.copyOf(adapterLayers);
        teacherLayers = List.copyOf(teacherLayers);
        emulatorLayers = List.copyOf(emulatorLayers);
        requireAscending("adapter", adapterLayers, numLayers);
        requireAscending("teacher", teacherLayers, numLayers);
        requireAscending("emulator", emulatorLayers, numLayers);
        if (adapterLayers.size() + teacherLayers.size() != numLayers
                || adapterLayers.stream().anyMatch(teacherLayers::contains)) {
            throw new IllegalArgumentException("adapter " + adapterLayers + " and teacher " + teacherLayers
                    + " must split the " + numLayers + " layers");
        }
        if (!teacherLayers.isEmpty()
                && teacherLayers.get(teacherLayers.size() - 1) - teacherLayers.get(0) != teacherLayers.size() - 1) {
            throw new IllegalArgumentException("teacher layers must be contiguous (found " + teacherLayers + ")");
        }
        if (!teacherLayers.containsAll(emulatorLayers) || emulatorLayers.isEmpty() != teacherLayers.isEmpty()) {
            throw new IllegalArgumentException("emulator layers " + emulatorLayers
                    + " must be a non-empty subset of the teacher layers " + teacherLayers);
        }
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new IllegalArgumentException("drop rate must be in [0, 1) (found " + dropRate + ")");
        }
    }

    /**
     * FedBiOT's split: the adapter is the last {@code k} layers, the teacher everything before it.
     *
     * @param numLayers N
     * @param adapterSize K, in [1, N - 1] (at least one layer must remain for the teacher)
     * @param dropRate beta, in [0, 1)
     * @return the plan
     * @throws ConfigException naming {@code plan.adapter_layers} or {@code plan.drop_rate}
     */
    public static LayerPlan lastK(int numLayers, int adapterSize, double dropRate) {
        ConfigException.require(adapterSize >= 1 && adapterSize < numLayers, "plan.adapter_layers", adapterSize,
                "must be in [1, " + (numLayers - 1) + "] for a model of " + numLayers + " layers");
        return split(numLayers, 0, numLayers - adapterSize, dropRate);
    }

    /**
     * Offsite-Tuning / FedOT split: the adapter is the first {@code pad} and the last {@code pad} layers.
     *
     * @param numLayers N
     * @param pad layers kept at each end, with {@code 2 pad < N}
     * @param dropRate beta, in [0, 1)
     * @return the plan
     * @throws ConfigException naming {@code plan.baseline_pad} or {@code plan.drop_rate}
     */
    public static LayerPlan firstAndLast(int numLayers, int pad, double dropRate) {
        ConfigException.require(pad >= 1 && 2 * pad < numLayers, "plan.baseline_pad", pad,
                "must be >= 1 with 2 * baseline_pad below the model's " + numLayers + " layers");
        return split(numLayers, pad, numLayers - pad, dropRate);
    }

    /**
     * No compression (full-model FedAvg-LoRA): every layer belongs to the adapter.
     *
     * @param numLayers N, at least 1
     * @return the plan
     */
    public static LayerPlan fullModel(int numLayers) {
        List<Integer> all = range(0, numLayers);
        return new LayerPlan(numLayers, all, List.of(), List.of(), 0.0);
    }

    /**
     * The general split of the reference code: teacher = layers {@code [l, r)}, adapter = the rest.
     *
     * @param numLayers N
     * @param l first teacher layer
     * @param r one past the last teacher layer
     * @param dropRate beta, in [0, 1)
     * @return the plan
     * @throws ConfigException naming {@code plan.drop_rate} or {@code plan} for a bad range
     */
    public static LayerPlan split(int numLayers, int l, int r, double dropRate) {
        requireDropRate(dropRate);
        ConfigException.require(0 <= l && l < r && r <= numLayers, "plan", "[" + l + ", " + r + ")",
                "teacher range must be a non-empty part of [0, " + numLayers + ")");
        List<Integer> adapter = new ArrayList<>(range(0, l));
        adapter.addAll(range(r, numLayers));
        List<Integer> teacher = range(l, r);
        List<Integer> emulator = new ArrayList<>();
        for (int pos : keptPositions(teacher.size(), dropRate)) {
            emulator.add(teacher.get(pos));
        }
        return new LayerPlan(numLayers, adapter, teacher, emulator, dropRate);
    }

    /**
     * Returns the teacher positions kept by uniform layer drop.
     *
     * <p>Where the reference formula has {@code k < 2} (it would divide by zero) the first position alone is
     * kept.
     *
     * @param n the teacher size, at least 1
     * @param dropRate beta, in [0, 1)
     * @return ascending positions in [0, n)
     * @throws ConfigException naming {@code plan.drop_rate} for a bad rate
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static List<Integer> keptPositions(int n, double dropRate) {
        requireDropRate(dropRate);
        if (n < 1) {
            throw new IllegalArgumentException("the teacher needs at least one layer (found " + n + ")");
        }
        int k = pythonRound(n * (1 - dropRate));
        k = Math.max(1, Math.min(n, k));
        if (k == 1) {
            return List.of(0);
        }
        double stride = (double) (n - 1) / (k - 1);
        List<Integer> kept = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            kept.add((int) Math.floor(j * stride));
        }
        return kept;
    }

    /** Returns the layers of the compressed model (adapter and emulator), in execution order. @return indices */
    public List<Integer> compressedStack() {
        TreeSet<Integer> s = new TreeSet<>(adapterLayers);
        s.addAll(emulatorLayers);
        return List.copyOf(s);
    }

    /** Returns all layers of the full model in order. @return {@code 0..N-1} */
    public List<Integer> fullStack() {
        return range(0, numLayers);
    }

    /**
     * Returns, for each emulator layer, its position within the teacher (the reference code's
     * {@code teacher_model_mapping}).
     *
     * @return teacher positions, one per emulator layer
     */
    public List<Integer> teacherMapping() {
        return emulatorLayers.stream().map(teacherLayers::indexOf).toList();
    }

    /** Returns whether the model is compressed at all. @return false for the full-model plan */
    public boolean hasEmulator() {
        return !teacherLayers.isEmpty();
    }

    /** Returns the first teacher layer (where the emulator's input hidden state is taken). @return index */
    public int firstTeacherLayer() {
        return teacherLayers.get(0);
    }

    /**
     * Returns the adapter layers that run before the teacher (or the emulator in its place); FedOT's split
     * has some, FedBiOT's last-K split none.
     *
     * @return ascending layer indices below the first teacher layer
     * @throws IllegalStateException for the full-model plan, which has no teacher
     */
    public List<Integer> adapterLayersBeforeTeacher() {
        int first = requireTeacher().get(0);
        return adapterLayers.stream().filter(l -> l < first).toList();
    }

    /**
     * Returns the adapter layers that run after the teacher (or the emulator in its place), up to the head.
     *
     * @return ascending layer indices above the last teacher layer
     * @throws IllegalStateException for the full-model plan, which has no teacher
     */
    public List<Integer> adapterLayersAfterTeacher() {
        List<Integer> teacher = requireTeacher();
        int last = teacher.get(teacher.size() - 1);
        return adapterLayers.stream().filter(l -> l > last).toList();
    }

    private List<Integer> requireTeacher() {
        if (teacherLayers.isEmpty()) {
            throw new IllegalStateException("the full-model plan has no teacher layers");
        }
        return teacherLayers;
    }

    /** Returns the depth of the compressed model. @return adapter plus emulator layers */
    public int compressedDepth() {
        return adapterLayers.size() + emulatorLayers.size();
    }

    private static void requireDropRate(double dropRate) {
        ConfigException.require(dropRate >= 0 && dropRate < 1, "plan.drop_rate", dropRate, "must be in [0, 1)");
    }

    private static void requireAscending(String what, List<Integer> layers, int numLayers) {
        for (int i = 0; i < layers.size(); i++) {
            int v = layers.get(i);
            if (v < 0 || v >= numLayers || (i > 0 && v <= layers.get(i - 1))) {
                throw new IllegalArgumentException(what + " layers must be ascending indices in [0, " + numLayers
                        + ") (found " + layers + ")");
            }
        }
    }

    /** Python's {@code round(x)} for a double: the exact binary value rounded half to even. */
    private static int pythonRound(double x) {
        return new BigDecimal(x).setScale(0, RoundingMode.HALF_EVEN).intValueExact();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }
}
