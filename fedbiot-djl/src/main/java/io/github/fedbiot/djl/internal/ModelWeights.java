/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.djl.internal.weights.StoredWeight;
import io.github.fedbiot.djl.internal.weights.StoredWeights;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The frozen base weights of a model, held in native memory by one manager ({@link StoredWeight}: float32,
 * float16, bfloat16 or GGUF blocks), created once and shared read-only by every computation; a pass widens a
 * compressed weight to float32 when it needs it ({@link #widen}). Names are Hugging Face's; GPT-2's Conv1D
 * weights, stored {@code [in, out]} in HF files, are held transposed ({@code [out, in]}) so that every
 * projection is one {@code linear} call, and are transposed back on export.
 */
public final class ModelWeights implements AutoCloseable {
    private final ModelSpec spec;
    private final NDManager manager;
    private final Map<String, StoredWeight> arrays;
    private final List<Map<String, StoredWeight>> layers;
    private final StoredWeights factory;

    private ModelWeights(ModelSpec spec, NDManager manager, Map<String, StoredWeight> arrays, StoredWeights factory) {
        this.spec = spec;
        this.manager = manager;
        this.factory = factory;
        this.arrays = Collections.unmodifiableMap(arrays);
        List<Map<String, StoredWeight>> l = new ArrayList<>();
        String prefix = spec.architecture().layerPrefix();
        for (int i = 0; i < spec.numLayers(); i++) {
            Map<String, StoredWeight> m = new HashMap<>();
            for (String suffix : layerSuffixes(spec)) {
                m.put(suffix, arrays.get(prefix + i + "." + suffix));
            }
            l.add(Collections.unmodifiableMap(m));
        }
        this.layers = List.copyOf(l);
    }

    /**
     * Creates the weights from a source of heap tensors in Hugging Face layout, checking every shape.
     *
     * @param spec the model shape
     * @param manager the manager that will own the arrays
     * @param source returns the tensor of a name
     * @return the weights
     * @throws FedbiotException if a tensor has the wrong shape
     */
    public static ModelWeights create(ModelSpec spec, NDManager manager, Function<String, Tensor> source) {
        return create(spec, manager, name -> WeightFormat.F32, source);
    }

    /**
     * Creates the weights from a source of heap tensors in Hugging Face layout, checking every shape, each held
     * in the format {@code formatOf} gives its name (vectors, and matrices whose rows are not whole blocks, stay
     * float32; see {@link StoredWeights#applicable}).
     *
     * @param spec the model shape
     * @param manager the manager that will own the arrays
     * @param formatOf the format to hold each tensor in (not {@code AS_STORED})
     * @param source returns the tensor of a name
     * @return the weights
     * @throws FedbiotException if a tensor has the wrong shape
     */
    public static ModelWeights create(ModelSpec spec, NDManager manager, Function<String, WeightFormat> formatOf,
            Function<String, Tensor> source) {
        StoredWeights factory = new StoredWeights(manager);
        return assemble(spec, manager, factory, name -> {
            Tensor t = source.apply(name);
            int[] expected = hfShape(spec, name);
            if (!Arrays.equals(t.shape(), expected)) {
                throw new FedbiotException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                        + " but config.json implies " + Arrays.toString(expected));
            }
            float[] data = t.data();
            int[] shape = engineShape(spec, name);
            if (isConv1D(spec, name)) {
                data = transpose(data, expected[0], expected[1]);
            }
            return factory.fromFloats(data, shape, StoredWeights.applicable(formatOf.apply(name), shape));
        });
    }

    /**
     * Creates the weights from stored weights made by the caller with {@code factory} (a GGUF file's blocks, a
     * benchmark's random blocks), checking every shape against the spec in the engine's layout.
     *
     * @param spec the model shape
     * @param manager the manager that owns the arrays
     * @param factory the factory the weights were made with (closed with the weights)
     * @param source returns the stored weight of a name
     * @return the weights
     * @throws FedbiotException if a weight has the wrong shape
     */
    public static ModelWeights assemble(ModelSpec spec, NDManager manager, StoredWeights factory,
            Function<String, StoredWeight> source) {
        Map<String, StoredWeight> arrays = new LinkedHashMap<>();
        for (String name : names(spec)) {
            StoredWeight w = source.apply(name);
            int[] expected = engineShape(spec, name);
            if (!Arrays.equals(toInt(w.shape().getShape()), expected)) {
                w.close();
                throw new FedbiotException("tensor '" + name + "' has shape " + w.shape()
                        + " but config.json implies " + Arrays.toString(expected));
            }
            arrays.put(name, w);
        }
        return new ModelWeights(spec, manager, arrays, factory);
    }

    /**
     * Returns a weight's shape in the engine's layout (GPT-2's Conv1D weights transposed to {@code [out, in]}).
     *
     * @param spec the model shape
     * @param name the tensor name
     * @return the dimensions
     */
    public static int[] engineShape(ModelSpec spec, String name) {
        int[] s = hfShape(spec, name);
        return isConv1D(spec, name) ? new int[] {s[1], s[0]} : s;
    }

    /**
     * Returns a seeded random tensor for a weight, initialised as Hugging Face does for fresh models: norm
     * weights 1, biases 0, everything else normal with the given standard deviation (HF uses 0.02).
     *
     * @param spec the model shape
     * @param name the tensor name
     * @param seed the seed
     * @param std the standard deviation
     * @return the tensor in Hugging Face layout
     */
    public static Tensor randomTensor(ModelSpec spec, String name, long seed, double std) {
        int[] shape = hfShape(spec, name);
        float[] data = new float[Math.toIntExact(Tensor.numel(shape))];
        boolean norm = name.contains("norm") || name.contains("ln_");
        if (norm && name.endsWith(".weight")) {
            Arrays.fill(data, 1f);
        } else if (!name.endsWith(".bias")) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (std * rng.nextGaussian());
            }
        }
        return new Tensor(shape, data);
    }

    /**
     * Lists the tensor names a model of this shape needs, in Hugging Face order.
     *
     * @param spec the model shape
     * @return the names
     */
    public static List<String> names(ModelSpec spec) {
        List<String> names = new ArrayList<>();
        String prefix = spec.architecture().layerPrefix();
        if (spec.architecture() == Architecture.GPT2) {
            names.add("transformer.wte.weight");
            names.add("transformer.wpe.weight");
        } else {
            names.add("model.embed_tokens.weight");
        }
        for (int i = 0; i < spec.numLayers(); i++) {
            for (String s : layerSuffixes(spec)) {
                names.add(prefix + i + "." + s);
            }
        }
        if (spec.architecture() == Architecture.GPT2) {
            names.add("transformer.ln_f.weight");
            names.add("transformer.ln_f.bias");
        } else {
            names.add("model.norm.weight");
            if (!spec.tieWordEmbeddings()) {
                names.add("lm_head.weight");
            }
        }
        return names;
    }

    /**
     * Lists the per-layer tensor name suffixes (after {@code model.layers.i.}).
     *
     * @param spec the model shape
     * @return the suffixes
     */
    public static List<String> layerSuffixes(ModelSpec spec) {
        if (spec.architecture() == Architecture.GPT2) {
            return List.of("ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias",
                    "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight",
                    "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias");
        }
        List<String> s = new ArrayList<>(List.of("input_layernorm.weight", "self_attn.q_proj.weight",
                "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight"));
        if (spec.attentionBias()) {
            s.addAll(List.of("self_attn.q_proj.bias", "self_attn.k_proj.bias", "self_attn.v_proj.bias"));
        }
        if (spec.outputProjectionBias()) {
            s.add("self_attn.o_proj.bias");
        }
        s.addAll(List.of("post_attention_layernorm.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight",
                "mlp.down_proj.weight"));
        return s;
    }

    /**
     * Returns the shape of a tensor as Hugging Face stores it.
     *
     * @param spec the model shape
     * @param name the tensor name
     * @return the dimensions
     */
    public static int[] hfShape(ModelSpec spec, String name) {
        int d = spec.hiddenSize();
        int v = spec.vocabSize();
        int q = spec.numHeads() * spec.headDim();
        int kv = spec.numKvHeads() * spec.headDim();
        int inter = spec.intermediateSize();
        String s = name.replaceFirst("^(model\\.layers|transformer\\.h)\\.\\d+\\.", "");
        return switch (s) {
            case "model.embed_tokens.weight", "lm_head.weight", "transformer.wte.weight" -> new int[] {v, d};
            case "transformer.wpe.weight" -> new int[] {spec.maxPositions(), d};
            case "model.norm.weight", "transformer.ln_f.weight", "transformer.ln_f.bias", "input_layernorm.weight",
                    "post_attention_layernorm.weight", "ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias",
                    "attn.c_proj.bias", "mlp.c_proj.bias", "self_attn.o_proj.bias" -> new int[] {d};
            case "self_attn.q_proj.weight" -> new int[] {q, d};
            case "self_attn.k_proj.weight", "self_attn.v_proj.weight" -> new int[] {kv, d};
            case "self_attn.o_proj.weight" -> new int[] {d, q};
            case "self_attn.q_proj.bias" -> new int[] {q};
            case "self_attn.k_proj.bias", "self_attn.v_proj.bias" -> new int[] {kv};
            case "mlp.gate_proj.weight", "mlp.up_proj.weight" -> new int[] {inter, d};
            case "mlp.down_proj.weight" -> new int[] {d, inter};
            case "attn.c_attn.weight" -> new int[] {d, 3 * d};
            case "attn.c_attn.bias" -> new int[] {3 * d};
            case "attn.c_proj.weight" -> new int[] {d, d};
            case "mlp.c_fc.weight" -> new int[] {d, inter};
            case "mlp.c_fc.bias" -> new int[] {inter};
            case "mlp.c_proj.weight" -> new int[] {inter, d};
            default -> throw new IllegalArgumentException("unknown weight '" + name + "'");
        };
    }

    /**
     * Returns whether a tensor is a GPT-2 Conv1D weight (stored {@code [in, out]} by Hugging Face).
     *
     * @param spec the model shape
     * @param name the tensor name
     * @return true for the four projection weights of a GPT-2 layer
     */
    public static boolean isConv1D(ModelSpec spec, String name) {
        return spec.architecture().isConv1D(name);
    }

    /**
     * Returns the model shape.
     *
     * @return the spec
     */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * Returns the manager owning the arrays.
     *
     * @return the base manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Returns a stored weight by Hugging Face name.
     *
     * @param name the name
     * @return the weight (Conv1D weights transposed to {@code [out, in]})
     */
    public StoredWeight stored(String name) {
        StoredWeight a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no weight '" + name + "'");
        }
        return a;
    }

    /**
     * Returns a weight as float32 for a pass: the stored array itself, or a widened copy owned by {@code m} and
     * registered with the current scope (see {@link StoredWeight#widen}).
     *
     * @param name the name
     * @param m the pass's manager
     * @return the array (Conv1D weights transposed to {@code [out, in]})
     */
    public NDArray widen(String name, NDManager m) {
        return stored(name).widen(m);
    }

    /**
     * Returns the weights of one decoder layer keyed by suffix (e.g. {@code self_attn.q_proj.weight}).
     *
     * @param layer the layer index
     * @return the stored weights
     */
    public Map<String, StoredWeight> layer(int layer) {
        return layers.get(layer);
    }

    /**
     * Widens the weights of one decoder layer for a pass (see {@link #widen}).
     *
     * @param layer the layer index
     * @param m the pass's manager
     * @return float32 arrays keyed by suffix; the compressed ones' copies close with the current scope
     */
    public Map<String, NDArray> widenLayer(int layer, NDManager m) {
        Map<String, NDArray> out = new HashMap<>();
        for (Map.Entry<String, StoredWeight> e : layers.get(layer).entrySet()) {
            if (e.getValue() != null) {
                out.put(e.getKey(), e.getValue().widen(m));
            }
        }
        return out;
    }

    /**
     * Returns the name of the token embedding.
     *
     * @return {@code model.embed_tokens.weight} or {@code transformer.wte.weight}
     */
    public String embeddingName() {
        return spec.architecture() == Architecture.GPT2 ? "transformer.wte.weight" : "model.embed_tokens.weight";
    }

    /**
     * Returns the name of the LM head weight (the embedding's when tied).
     *
     * @return the name
     */
    public String lmHeadName() {
        if (spec.architecture() == Architecture.GPT2 || spec.tieWordEmbeddings()) {
            return embeddingName();
        }
        return "lm_head.weight";
    }

    /**
     * Returns whether any decoder-layer weight is held compressed (not float32).
     *
     * @return true for a compressed model
     */
    public boolean isCompressed() {
        return layers.stream().flatMap(l -> l.values().stream()).anyMatch(w -> w != null && w.isCompressed());
    }

    /**
     * Returns the native bytes of all stored weights.
     *
     * @return the size
     */
    public long bytes() {
        return arrays.values().stream().mapToLong(StoredWeight::bytes).sum();
    }

    /**
     * Returns the format of each weight.
     *
     * @return name to format, in {@link #names} order
     */
    public Map<String, WeightFormat> formats() {
        Map<String, WeightFormat> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.format()));
        return out;
    }

    /**
     * Copies the weights to the heap in Hugging Face layout.
     *
     * @return the tensors, in {@link #names} order
     */
    public NamedTensors toHeap() {
        NamedTensors.Builder b = NamedTensors.builder();
        for (Map.Entry<String, StoredWeight> e : arrays.entrySet()) {
            b.add(e.getKey(), toHeap(e.getKey()));
        }
        return b.build();
    }

    /**
     * Copies one weight to the heap in Hugging Face layout.
     *
     * @param name the tensor name
     * @return the tensor
     */
    public Tensor toHeap(String name) {
        float[] data = stored(name).toFloats();
        int[] shape = hfShape(spec, name);
        if (isConv1D(spec, name)) {
            data = transpose(data, shape[1], shape[0]);
        }
        return new Tensor(shape, data);
    }

    /**
     * Returns how many arrays the base manager owns (to check that calls do not leak).
     *
     * @return the count
     */
    public int managedArrayCount() {
        return manager.getManagedArrays().size();
    }

    static float[] transpose(float[] data, int rows, int cols) {
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = data[r * cols + c];
            }
        }
        return out;
    }

    static long[] toLong(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    private static int[] toInt(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = Math.toIntExact(shape[i]);
        }
        return s;
    }

    @Override
    public void close() {
        factory.close();
        manager.close();
    }
}
