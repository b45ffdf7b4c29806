/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.djl.internal.DecoderStack;
import io.github.fedbiot.djl.internal.EmulatorAlignment;
import io.github.fedbiot.djl.internal.Evaluation;
import io.github.fedbiot.djl.internal.Generation;
import io.github.fedbiot.djl.internal.LocalTraining;
import io.github.fedbiot.djl.internal.LoraSet;
import io.github.fedbiot.djl.internal.ModelWeights;
import io.github.fedbiot.djl.internal.RequestChecks;
import io.github.fedbiot.djl.internal.WeightLoader;
import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.EvalResult;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.LoadOptions;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.TextTokenizer;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.HfDirectoryWriter;
import io.github.fedbiot.model.LoraMerge;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.DType;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decoder-only model (LLaMA family or GPT-2) on DJL's PyTorch engine, computing in fp32. The frozen base
 * weights are created once in native memory, in the {@link WeightFormat} of the {@link LoadOptions} (float32,
 * float16, bfloat16 or GGUF blocks, widened to float32 a layer at a time), and shared by every call: each call names the decoder layers
 * to run and passes its LoRA as heap {@link NamedTensors}; the call builds its own arrays in a sub-manager and
 * copies its results back to the heap before that manager closes, so no native handle crosses the API and
 * concurrent calls never share mutable state.
 *
 * <p>DJL's PyTorch engine allows one gradient collector per process, so {@link #trainLocal} and
 * {@link #alignEmulator} of all models run one at a time (a process-wide lock); evaluation and generation run
 * concurrently. Computation runs on the CPU; with a DJL CUDA native jar on the class path
 * ({@code pytorch-native-cu*}) and {@code Engine.getGpuCount() > 0}, the weights and all arrays are placed on
 * the first GPU instead (only the CPU path is covered by tests).
 *
 * <p>This class checks that the model is open and hands each call to its part in
 * {@code io.github.fedbiot.djl.internal}; merging LoRA and writing checkpoints are heap work done by
 * {@link LoraMerge} and {@link HfDirectoryWriter}.
 */
public final class DjlBaseModel implements BaseModel {
    private static final Logger logger = LoggerFactory.getLogger(DjlBaseModel.class);

    private final ModelSpec spec;
    private final ModelWeights weights;
    private final DecoderStack stack;
    private final DjlTokenizer tokenizer;
    private final Path sourceDir;
    private final RequestChecks checks;
    private final LocalTraining training;
    private final EmulatorAlignment alignment;
    private final Evaluation evaluation;
    private final Generation generation;
    private volatile boolean closed;

    private DjlBaseModel(ModelSpec spec, ModelWeights weights, DjlTokenizer tokenizer, Path sourceDir,
            LoadOptions options) {
        this.spec = spec;
        this.weights = weights;
        this.stack = new DecoderStack(weights);
        this.tokenizer = tokenizer;
        this.sourceDir = sourceDir;
        this.checks = new RequestChecks(spec);
        boolean checkpointing = switch (options.checkpointing()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> weights.isCompressed();
        };
        this.training = new LocalTraining(stack, checks, checkpointing);
        this.alignment = new EmulatorAlignment(stack, checks, checkpointing);
        this.evaluation = new Evaluation(stack, checks);
        this.generation = new Generation(stack, checks, tokenizer != null ? tokenizer.eosId() : spec.eosTokenId());
    }

    /**
     * Loads a Hugging Face model directory: config.json, model.safetensors (or a sharded index) and,
     * when present, tokenizer.json.
     *
     * @param dir the model directory
     * @return the model
     * @throws FedbiotException if a file is missing or does not match config.json (shapes, decoder layers,
     *     special token ids, a tokenizer larger than the vocabulary), or a weight is NaN or infinite
     */
    static DjlBaseModel load(Path dir) {
        return load(dir, LoadOptions.DEFAULT);
    }

    /**
     * Loads a model directory with its weights held as the options ask; a directory with a
     * {@code model.gguf} keeps that file's blocks (see {@link WeightLoader#load(ModelSpec, Path, WeightFormat)}).
     *
     * @param dir the model directory
     * @param options the weight format and activation checkpointing
     * @return the model
     * @throws FedbiotException if a file is missing or does not match config.json
     */
    static DjlBaseModel load(Path dir, LoadOptions options) {
        ModelSpec spec = ModelSpec.read(dir);
        ModelWeights w = WeightLoader.load(spec, dir, options.weightFormat());
        try {
            Path tk = dir.resolve("tokenizer.json");
            DjlTokenizer tokenizer = Files.isRegularFile(tk) ? fitting(DjlTokenizer.load(tk, spec.eosTokenId()), spec)
                    : null;
            logger.info("loaded {} ({} layers, d {}, {} parameters, {} MiB of weights{}) from {}", spec.modelType(),
                    spec.numLayers(), spec.hiddenSize(), spec.parameterCount(), w.bytes() >> 20,
                    w.isCompressed() ? ", compressed" : "", dir);
            return new DjlBaseModel(spec, w, tokenizer, dir, options);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /**
     * Creates a model with seeded random weights of standard deviation {@link TrainingEngine#DEFAULT_INIT_STD}
     * (see {@link #random(ModelSpec, long, double, Path)}).
     *
     * @param spec the model shape
     * @param seed the seed
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @return the model
     */
    public static DjlBaseModel random(ModelSpec spec, long seed, Path tokenizerJson) {
        return random(spec, seed, TrainingEngine.DEFAULT_INIT_STD, tokenizerJson);
    }

    /**
     * Creates a model with seeded random weights of a given standard deviation (norms 1, biases 0), for
     * pretraining, tests and benchmarks.
     *
     * @param spec the model shape
     * @param seed the seed
     * @param std the standard deviation of the normal initialisation
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @return the model
     * @throws IllegalArgumentException for a bad {@code std}
     * @throws FedbiotException for a tokenizer larger than the vocabulary
     */
    public static DjlBaseModel random(ModelSpec spec, long seed, double std, Path tokenizerJson) {
        return random(spec, seed, std, tokenizerJson, LoadOptions.DEFAULT);
    }

    /**
     * Creates a model with seeded random weights (as {@link #random(ModelSpec, long, double, Path)} draws them)
     * held in the options' format.
     *
     * @param spec the model shape
     * @param seed the seed
     * @param std the standard deviation of the normal initialisation
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @param options the weight format ({@code as_stored}: float32) and activation checkpointing
     * @return the model
     */
    public static DjlBaseModel random(ModelSpec spec, long seed, double std, Path tokenizerJson, LoadOptions options) {
        return withTokenizer(spec, WeightLoader.random(spec, seed, std, options.weightFormat()), tokenizerJson,
                options);
    }

    /**
     * Creates a LLaMA-family model whose decoder and embedding matrices are seeded random GGUF blocks drawn
     * directly in a block format, never as float32 (see {@link io.github.fedbiot.djl.internal.RandomBlocks}),
     * for benchmarks at sizes whose float32 weights would not fit in memory.
     *
     * @param spec the model shape (LLaMA family)
     * @param seed the seed
     * @param format Q8_0, Q4_0 or Q4_1
     * @param options activation checkpointing (the weight format is {@code format})
     * @return the model
     */
    public static DjlBaseModel randomBlocks(ModelSpec spec, long seed, WeightFormat format, LoadOptions options) {
        return withTokenizer(spec, io.github.fedbiot.djl.internal.RandomBlocks.weights(spec, seed, format), null,
                options.withWeightFormat(format));
    }

    private static DjlBaseModel withTokenizer(ModelSpec spec, ModelWeights w, Path tokenizerJson,
            LoadOptions options) {
        try {
            DjlTokenizer tk = tokenizerJson == null ? null
                    : fitting(DjlTokenizer.load(tokenizerJson, spec.eosTokenId()), spec);
            return new DjlBaseModel(spec, w, tk, tokenizerJson == null ? null : tokenizerJson.getParent(), options);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /**
     * Returns the tokenizer if its ids fit the model's embedding, else closes it and refuses: a larger tokenizer
     * yields ids past the last embedding row.
     */
    private static DjlTokenizer fitting(DjlTokenizer tk, ModelSpec spec) {
        if (tk.vocabSize() > spec.vocabSize()) {
            tk.close();
            throw new FedbiotException("tokenizer " + tk.file() + " has " + tk.vocabSize() + " tokens but the model's "
                    + "vocabulary (config.json vocab_size) is " + spec.vocabSize());
        }
        return tk;
    }

    /** {@inheritDoc} */
    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** {@inheritDoc} */
    @Override
    public TextTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new FedbiotException("this model has no tokenizer (no tokenizer.json was given)");
        }
        return tokenizer;
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /** {@inheritDoc} */
    @Override
    public float[] logits(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, int[] tokens, int batchSize,
            int seqLen) {
        checkOpen();
        return evaluation.logits(stack, lora, loraTensors, tokens, batchSize, seqLen);
    }

    /** {@inheritDoc} */
    @Override
    public LocalTrainResult trainLocal(LocalTrainRequest request) {
        checkOpen();
        return training.train(request);
    }

    /** {@inheritDoc} */
    @Override
    public AlignResult alignEmulator(AlignRequest request) {
        checkOpen();
        return alignment.align(request);
    }

    /** {@inheritDoc} */
    @Override
    public EvalResult evaluate(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, List<Batch> batches) {
        checkOpen();
        return evaluation.evaluate(stack, lora, loraTensors, batches);
    }

    /** {@inheritDoc} */
    @Override
    public double[] sequenceLogLikelihoods(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors,
            Batch batch) {
        checkOpen();
        return evaluation.sequenceLogLikelihoods(stack, lora, loraTensors, batch);
    }

    /**
     * Generates with a KV cache; the prompt plus new tokens never exceed the model's context length (the
     * token budget is cut to fit).
     *
     * @param stack the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply
     * @param prompt the prompt's token ids (not empty)
     * @param config decoding settings
     * @return the new token ids
     */
    @Override
    public int[] generate(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, int[] prompt,
            GenerationConfig config) {
        checkOpen();
        return generation.generate(stack, lora, loraTensors, prompt, config);
    }

    /** {@inheritDoc} */
    @Override
    public void saveMerged(Path dir, LoraSpec lora, NamedTensors loraTensors) {
        saveMerged(dir, lora, loraTensors, DType.F32);
    }

    /** {@inheritDoc} */
    @Override
    public void saveMerged(Path dir, LoraSpec lora, NamedTensors loraTensors, DType dtype) {
        checkOpen();
        if (dtype != null && dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("merged checkpoints are written as F32, F16 or BF16, not " + dtype);
        }
        DType out = dtype != null ? dtype : storedDType();
        LoraSpec ls = checks.lora(lora);
        LoraSet.validate(spec, ls, loraTensors, "LoRA to merge");
        NamedTensors merged = LoraMerge.merge(spec.architecture(), weights.toHeap(), loraTensors, ls.scaling());
        HfDirectoryWriter.write(dir, spec, merged, sourceDir, out);
        logger.info("wrote {} with {} LoRA-merged weights ({})", dir, loraTensors.size() / 2, out);
    }

    /** F16 or BF16 when every matrix is held so, else F32. */
    private DType storedDType() {
        java.util.Set<WeightFormat> matrices = new java.util.HashSet<>();
        weights.formats().forEach((name, f) -> {
            if (ModelWeights.hfShape(spec, name).length == 2) {
                matrices.add(f);
            }
        });
        if (matrices.equals(java.util.Set.of(WeightFormat.F16))) {
            return DType.F16;
        }
        return matrices.equals(java.util.Set.of(WeightFormat.BF16)) ? DType.BF16 : DType.F32;
    }

    /**
     * Returns the native bytes the frozen weights occupy.
     *
     * @return the size
     */
    public long weightBytes() {
        checkOpen();
        return weights.bytes();
    }

    /**
     * Returns the forward pass over the frozen weights, for the package's test helpers.
     *
     * @return the stack
     */
    DecoderStack decoderStack() {
        checkOpen();
        return stack;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            weights.close();
            if (tokenizer != null) {
                tokenizer.close();
            }
        }
    }
}
