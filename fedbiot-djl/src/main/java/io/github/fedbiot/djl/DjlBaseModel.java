/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.djl.internal.AdamW;
import io.github.fedbiot.djl.internal.AlignmentLoss;
import io.github.fedbiot.djl.internal.DecoderStack;
import io.github.fedbiot.djl.internal.ForwardContext;
import io.github.fedbiot.djl.internal.KvCache;
import io.github.fedbiot.djl.internal.LoraSet;
import io.github.fedbiot.djl.internal.Losses;
import io.github.fedbiot.djl.internal.ModelDropout;
import io.github.fedbiot.djl.internal.ModelWeights;
import io.github.fedbiot.djl.internal.NativeRuntimeSettings;
import io.github.fedbiot.djl.internal.Ops;
import io.github.fedbiot.djl.internal.StepLoop;
import io.github.fedbiot.djl.internal.TokenSampler;
import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.EvalResult;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.TextTokenizer;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraNames;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.AtomicFile;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsCheckpoint;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decoder-only model (LLaMA family or GPT-2) on DJL's PyTorch engine, in fp32. The frozen base weights are
 * created once as NDArrays of one base manager and shared by every call: each call names the decoder layers
 * to run and passes its LoRA as heap {@link NamedTensors}; the call builds its own arrays in a sub-manager and
 * copies its results back to the heap before that manager closes, so no native handle crosses the API and
 * concurrent calls never share mutable state.
 *
 * <p>DJL's PyTorch engine allows one gradient collector per process, so {@link #trainLocal} and
 * {@link #alignEmulator} of all models run one at a time (a process-wide lock); evaluation and generation run
 * concurrently. Computation runs on the CPU; with a DJL CUDA native jar on the class path
 * ({@code pytorch-native-cu*}) and {@code Engine.getGpuCount() > 0}, the weights and all arrays are placed on
 * the first GPU instead (only the CPU path is covered by tests).
 */
public final class DjlBaseModel implements BaseModel {
    private static final Logger logger = LoggerFactory.getLogger(DjlBaseModel.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReentrantLock TRAIN_LOCK = new ReentrantLock();
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json");

    private final ModelSpec spec;
    private final ModelWeights weights;
    private final DecoderStack stack;
    private final DjlTokenizer tokenizer;
    private final Path sourceDir;
    private volatile boolean closed;

    private DjlBaseModel(ModelSpec spec, ModelWeights weights, DjlTokenizer tokenizer, Path sourceDir) {
        this.spec = spec;
        this.weights = weights;
        this.stack = new DecoderStack(weights);
        this.tokenizer = tokenizer;
        this.sourceDir = sourceDir;
    }

    /**
     * Loads a Hugging Face model directory: config.json, model.safetensors (or a sharded index) and,
     * when present, tokenizer.json.
     *
     * @param dir the model directory
     * @return the model
     * @throws FedbiotException if a file is missing or does not match config.json
     */
    static DjlBaseModel load(Path dir) {
        ModelSpec spec = ModelSpec.read(dir);
        NDManager manager = newBaseManager();
        try (SafetensorsCheckpoint files = SafetensorsCheckpoint.open(dir)) {
            boolean bare = spec.architecture() == Architecture.GPT2 && !files.contains("transformer.wte.weight")
                    && files.contains("wte.weight");
            ModelWeights w = ModelWeights.create(spec, manager,
                    name -> files.read(bare ? name.replaceFirst("^transformer\\.", "") : name));
            Path tk = dir.resolve("tokenizer.json");
            DjlTokenizer tokenizer = Files.isRegularFile(tk) ? DjlTokenizer.load(tk, spec.eosTokenId()) : null;
            logger.info("loaded {} ({} layers, d {}, {} parameters) from {}", spec.modelType(), spec.numLayers(),
                    spec.hiddenSize(), spec.parameterCount(), dir);
            return new DjlBaseModel(spec, w, tokenizer, dir);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Creates a model with seeded random weights (normal, standard deviation 0.02; norms 1; biases 0), for
     * pretraining, tests and benchmarks.
     *
     * @param spec the model shape
     * @param seed the seed
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @return the model
     */
    public static DjlBaseModel random(ModelSpec spec, long seed, Path tokenizerJson) {
        return random(spec, seed, 0.02, tokenizerJson);
    }

    /**
     * Creates a model with seeded random weights of a given standard deviation (norms 1, biases 0).
     *
     * @param spec the model shape
     * @param seed the seed
     * @param std the standard deviation of the normal initialisation
     * @param tokenizerJson a tokenizer.json to attach, or null for none
     * @return the model
     */
    public static DjlBaseModel random(ModelSpec spec, long seed, double std, Path tokenizerJson) {
        if (!(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("initialisation std must be finite and > 0, got " + std);
        }
        NDManager manager = newBaseManager();
        try {
            ModelWeights w = ModelWeights.create(spec, manager,
                    name -> ModelWeights.randomTensor(spec, name, seed, std));
            DjlTokenizer tk = tokenizerJson == null ? null : DjlTokenizer.load(tokenizerJson, spec.eosTokenId());
            if (tk != null && tk.vocabSize() > spec.vocabSize()) {
                tk.close();
                throw new IllegalArgumentException("tokenizer " + tokenizerJson + " has " + tk.vocabSize()
                        + " tokens but the model's vocabulary is " + spec.vocabSize());
            }
            return new DjlBaseModel(spec, w, tk, tokenizerJson == null ? null : tokenizerJson.getParent());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDManager newBaseManager() {
        NativeRuntimeSettings.apply();
        Engine engine = Engine.getEngine("PyTorch");
        return engine.getGpuCount() > 0 ? engine.newBaseManager(ai.djl.Device.gpu()) : engine.newBaseManager();
    }

    /** {@inheritDoc} */
    @Override
    public ModelSpec spec() {
        return spec;
    }

    /**
     * Returns the tokenizer.
     *
     * @return the tokenizer
     * @throws FedbiotException if the model was loaded without a tokenizer.json
     */
    @Override
    public TextTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new FedbiotException("this model has no tokenizer (no tokenizer.json was given)");
        }
        return tokenizer;
    }

    /**
     * Returns whether a tokenizer is attached.
     *
     * @return true if {@link #tokenizer()} succeeds
     */
    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /**
     * Copies the frozen base weights to the heap in Hugging Face layout (e.g. to check that they never change).
     *
     * @return the weights
     */
    public NamedTensors baseWeights() {
        checkOpen();
        return weights.toHeap();
    }

    /**
     * Returns how many native arrays the base manager holds, sub-managers included; it stays constant across
     * calls unless a call leaks.
     *
     * @return the count
     */
    public int nativeArrayCount() {
        checkOpen();
        return weights.managedArrayCount();
    }

    /**
     * Returns the logits of every position (eval mode: no dropout), for parity tests against Hugging Face.
     *
     * @param stack the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply (may be empty)
     * @param tokens B*T token ids, row-major
     * @param batchSize B
     * @param seqLen T
     * @return B*T*V logits, row-major
     */
    public float[] logits(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, int[] tokens, int batchSize,
            int seqLen) {
        checkOpen();
        LoraSpec ls = mapLora(lora);
        checkStack(stack);
        checkTokens(tokens, batchSize, seqLen);
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            ForwardContext ctx = this.stack.context(m, batchSize, seqLen, 0, false);
            NDArray h = this.stack.run(this.stack.embed(m, tokens, ctx), stack, set, ctx, null);
            return this.stack.logits(h).toFloatArray();
        }
    }

    /** {@inheritDoc} */
    @Override
    public LocalTrainResult trainLocal(LocalTrainRequest request) {
        checkOpen();
        LoraSpec ls = mapLora(request.lora());
        checkStack(request.stack());
        checkSteps(request.steps());
        if (!(request.proximalWeight() >= 0) || Double.isInfinite(request.proximalWeight())) {
            throw new IllegalArgumentException("proximal weight must be finite and >= 0, got "
                    + request.proximalWeight());
        }
        if (request.trainableLora().isEmpty()) {
            throw new IllegalArgumentException("trainable LoRA is empty: there is nothing to train");
        }
        requireLayers(request.trainableLora(), request.stack(), "trainable LoRA");
        TRAIN_LOCK.lock();
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, request.frozenLora(), request.trainableLora(), request.seed());
            List<LoraSet.Module> trainable = set.trainable();
            List<NDArray> params = new ArrayList<>();
            trainable.forEach(mod -> {
                params.add(mod.a());
                params.add(mod.b());
            });
            double mu = request.proximalWeight();
            List<NDArray> start = mu > 0 ? mergedStart(m, set, request.trainableLora()) : List.of();
            AdamW opt = new AdamW(request.optimizer(), params, m);
            ModelDropout dropout = ModelDropout.forTraining(spec, request.seed());
            StepLoop.Totals t = StepLoop.run(request.steps(), opt, (batch, step, micro) -> {
                Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
                return tg.count() == 0 ? null : trainLoss(m, batch, tg, request.stack(), set, start, mu,
                        request.proximalGradient(), true, dropout.at(step, micro));
            });
            NamedTensors out = set.trainableToHeap(request.trainableLora());
            return new LocalTrainResult(out, t.samples(), opt.steps(), t.firstMean(), t.secondMean(), t.skipped());
        } finally {
            TRAIN_LOCK.unlock();
        }
    }

    /**
     * Builds the loss of one micro-batch: cross-entropy plus, when {@code mu > 0}, the proximal term.
     *
     * @return the loss, with the cross-entropy and the proximal term (null when mu is 0) as statistics
     */
    private StepLoop.MicroLoss trainLoss(NDManager m, Batch batch, Losses.Targets tg, List<Integer> layers, LoraSet set,
            List<NDArray> start, double mu, boolean proximalGradient, boolean training, ModelDropout dropout) {
        NDArray h = forward(m, batch, layers, set, training, dropout);
        NDArray ce = Losses.targetLogProbs(stack, h, tg).mean().neg();
        if (mu <= 0) {
            return new StepLoop.MicroLoss(ce, ce, null);
        }
        NDArray prox = proximal(set, start);
        prox = prox.muli(Ops.scalar(prox, (float) mu));
        return new StepLoop.MicroLoss(ce.add(proximalGradient ? prox : prox.stopGradient()), ce, prox);
    }

    private static List<NDArray> mergedStart(NDManager m, LoraSet set, NamedTensors start) {
        List<NDArray> out = new ArrayList<>();
        for (LoraSet.Module mod : set.trainable()) {
            NDArray b0 = m.create(start.get(mod.nameB()).data(), mod.b().getShape());
            NDArray a0 = m.create(start.get(mod.nameA()).data(), mod.a().getShape());
            out.add(set.merged(a0, b0));
        }
        return out;
    }

    /**
     * Computes one micro-batch's training loss and its gradient with respect to the trainable LoRA, without
     * dropout and without updating anything (for gradient checks).
     *
     * @param layers the decoder layers
     * @param lora the LoRA settings
     * @param frozen frozen LoRA
     * @param trainable trainable LoRA
     * @param start the proximal anchor (LoRA at the start of the round)
     * @param batch the micro-batch
     * @param mu the proximal weight
     * @param proximalGradient whether the proximal term has a gradient
     * @return the loss and the gradient of every trainable tensor
     */
    LossAndGradient lossAndGradient(List<Integer> layers, LoraSpec lora, NamedTensors frozen, NamedTensors trainable,
            NamedTensors start, Batch batch, double mu, boolean proximalGradient) {
        checkOpen();
        LoraSpec ls = mapLora(lora);
        checkStack(layers);
        checkBatch(batch);
        TRAIN_LOCK.lock();
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, frozen, trainable, 0);
            LoraSet.validate(spec, ls, start, "proximal anchor");
            List<NDArray> anchor = mu > 0 ? mergedStart(m, set, start) : List.of();
            Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = trainLoss(m, batch, tg, layers, set, anchor, mu, proximalGradient, false,
                        ModelDropout.NONE).loss();
                value = loss.getFloat();
                gc.backward(loss);
            }
            NamedTensors.Builder b = NamedTensors.builder();
            for (LoraSet.Module mod : set.trainable()) {
                b.add(mod.nameA(), new Tensor(trainable.get(mod.nameA()).shape(), mod.a().getGradient().toFloatArray()));
                b.add(mod.nameB(), new Tensor(trainable.get(mod.nameB()).shape(), mod.b().getGradient().toFloatArray()));
            }
            return new LossAndGradient(value, b.build());
        } finally {
            TRAIN_LOCK.unlock();
        }
    }

    /** A loss value and the gradient of the trainable tensors. */
    record LossAndGradient(double loss, NamedTensors gradient) {}

    /**
     * Returns the hidden states after running {@code layers} on the embeddings (before the final norm), in eval
     * mode, as B*T*d floats.
     *
     * @param layers the decoder layers
     * @param lora the LoRA settings
     * @param loraTensors the LoRA to apply
     * @param tokens B*T token ids
     * @param batchSize B
     * @param seqLen T
     * @return the hidden states
     */
    float[] hiddenStates(List<Integer> layers, LoraSpec lora, NamedTensors loraTensors, int[] tokens, int batchSize,
            int seqLen) {
        checkOpen();
        LoraSpec ls = mapLora(lora);
        checkStack(layers);
        checkTokens(tokens, batchSize, seqLen);
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            ForwardContext ctx = stack.context(m, batchSize, seqLen, 0, false);
            return stack.run(stack.embed(m, tokens, ctx), layers, set, ctx, null).toFloatArray();
        }
    }

    /** Returns {@code sum_modules ||s B A - s B0 A0||_F^2} (differentiable in A and B). */
    private static NDArray proximal(LoraSet set, List<NDArray> start) {
        List<LoraSet.Module> modules = set.trainable();
        NDArray total = null;
        for (int i = 0; i < modules.size(); i++) {
            LoraSet.Module mod = modules.get(i);
            NDArray d = set.merged(mod.a(), mod.b()).subi(start.get(i));
            NDArray sq = d.square().sum();
            total = total == null ? sq : total.add(sq);
        }
        return total;
    }

    /** {@inheritDoc} */
    @Override
    public AlignResult alignEmulator(AlignRequest request) {
        checkOpen();
        LayerPlan plan = request.plan();
        if (plan.numLayers() != spec.numLayers()) {
            throw new IllegalArgumentException("layer plan is for " + plan.numLayers() + " layers but the model has "
                    + spec.numLayers());
        }
        if (!plan.hasEmulator()) {
            throw new IllegalArgumentException("layer plan has no emulator (full-model plan): nothing to align");
        }
        if (!(request.klWeight() >= 0) || Double.isInfinite(request.klWeight())) {
            throw new IllegalArgumentException("KL weight must be finite and >= 0, got " + request.klWeight());
        }
        LoraSpec ls = mapLora(request.lora());
        checkSteps(request.steps());
        if (request.emulatorLora().isEmpty()) {
            throw new IllegalArgumentException("emulator LoRA is empty: there is nothing to align");
        }
        requireLayers(request.emulatorLora(), plan.emulatorLayers(), "emulator LoRA");
        requireLayers(request.adapterLora(), plan.adapterLayers(), "adapter LoRA");
        TRAIN_LOCK.lock();
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, request.adapterLora(), request.emulatorLora(), request.seed());
            List<NDArray> params = new ArrayList<>();
            set.trainable().forEach(mod -> {
                params.add(mod.a());
                params.add(mod.b());
            });
            AdamW opt = new AdamW(request.optimizer(), params, m);
            AlignmentLoss loss = new AlignmentLoss(stack, plan, set, request.klWeight());
            ModelDropout dropout = ModelDropout.forTraining(spec, request.seed());
            StepLoop.Totals t = StepLoop.run(request.steps(), opt,
                    (batch, step, micro) -> loss.of(m, batch, dropout.at(step, micro)));
            NamedTensors out = set.trainableToHeap(request.emulatorLora());
            return new AlignResult(out, opt.steps(), t.firstMean(), t.secondMean(), t.skipped());
        } finally {
            TRAIN_LOCK.unlock();
        }
    }

    /** {@inheritDoc} */
    @Override
    public EvalResult evaluate(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, List<Batch> batches) {
        checkOpen();
        LoraSpec ls = mapLora(lora);
        checkStack(stack);
        batches.forEach(this::checkBatch);
        EvalResult total = new EvalResult(0, 0);
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            for (Batch batch : batches) {
                Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
                if (tg.count() == 0) {
                    continue;
                }
                try (NDScope mb = new NDScope()) {
                    NDArray h = forward(m, batch, stack, set, false, ModelDropout.NONE);
                    double sum = 0;
                    for (float v : Losses.targetLogProbs(this.stack, h, tg).toFloatArray()) {
                        sum -= v;
                    }
                    total = total.plus(new EvalResult(sum, tg.count()));
                }
            }
        }
        return total;
    }

    /** {@inheritDoc} */
    @Override
    public double[] sequenceLogLikelihoods(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors,
            Batch batch) {
        checkOpen();
        LoraSpec ls = mapLora(lora);
        checkStack(stack);
        checkBatch(batch);
        double[] out = new double[batch.batchSize()];
        Losses.Targets tg = Losses.targets(batch, spec.vocabSize());
        if (tg.count() == 0) {
            return out;
        }
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            NDArray h = forward(m, batch, stack, set, false, ModelDropout.NONE);
            float[] lp = Losses.targetLogProbs(this.stack, h, tg).toFloatArray();
            for (int i = 0; i < lp.length; i++) {
                out[tg.row()[i]] += lp[i];
            }
        }
        return out;
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
        LoraSpec ls = mapLora(lora);
        checkStack(stack);
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        checkTokens(prompt, 1, prompt.length);
        int budget = Math.min(config.maxNewTokens(), spec.maxPositions() - prompt.length);
        int eos = tokenizer != null ? tokenizer.eosId() : spec.eosTokenId();
        List<Integer> out = new ArrayList<>();
        if (budget <= 0) {
            return new int[0];
        }
        TokenSampler sampler = new TokenSampler(config);
        try (NDManager m = weights.manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            KvCache cache = new KvCache(stack.size());
            int[] input = prompt;
            while (true) {
                int t = input.length;
                float[] logits;
                try (NDScope stepScope = new NDScope()) {
                    ForwardContext ctx = this.stack.context(m, 1, t, cache.length(), false);
                    NDArray h = this.stack.run(this.stack.embed(m, input, ctx), stack, set, ctx, cache);
                    logits = this.stack.logits(h.get(new NDIndex(":, " + (t - 1) + ", :"))).toFloatArray();
                    cache.arrays().forEach(NDScope::unregister); // the call's manager owns them
                }
                cache.advance(t);
                int next = sampler.next(logits);
                out.add(next);
                if ((config.stopAtEos() && next == eos) || out.size() >= budget) {
                    break;
                }
                input = new int[] {next};
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@inheritDoc} */
    @Override
    public void saveMerged(Path dir, LoraSpec lora, NamedTensors loraTensors) {
        checkOpen();
        LoraSpec ls = mapLora(lora);
        Map<String, LoraSet.Key> keys = LoraSet.validate(spec, ls, loraTensors, "LoRA to merge");
        NamedTensors base = weights.toHeap();
        Set<String> merged = new HashSet<>();
        NamedTensors.Builder b = NamedTensors.builder();
        Map<String, Tensor> replaced = new HashMap<>();
        for (LoraSet.Key k : keys.values()) {
            if (!k.isA()) {
                continue;
            }
            Architecture arch = spec.architecture();
            Tensor a = loraTensors.get(LoraNames.loraA(arch, k.layer(), k.module()));
            Tensor bm = loraTensors.get(LoraNames.loraB(arch, k.layer(), k.module()));
            String wName = LoraNames.modulePath(arch, k.layer(), k.module()) + ".weight";
            Tensor w = base.get(wName);
            float[] data = w.data().clone();
            int r = ls.rank();
            int in = a.dim(1);
            int outDim = bm.dim(0);
            boolean conv = ModelWeights.isConv1D(spec, wName);
            double s = ls.scaling();
            for (int o = 0; o < outDim; o++) {
                for (int i = 0; i < in; i++) {
                    double acc = 0;
                    for (int j = 0; j < r; j++) {
                        acc += (double) bm.data()[o * r + j] * a.data()[j * in + i];
                    }
                    int idx = conv ? i * outDim + o : o * in + i;
                    data[idx] += (float) (s * acc);
                }
            }
            replaced.put(wName, new Tensor(w.shape(), data));
            merged.add(wName);
        }
        for (Map.Entry<String, Tensor> e : base.asMap().entrySet()) {
            b.add(e.getKey(), replaced.getOrDefault(e.getKey(), e.getValue()));
        }
        writeModelDir(dir, b.build());
        logger.info("wrote {} with {} LoRA-merged weights", dir, merged.size());
    }

    /**
     * Writes this model (no LoRA) as a Hugging Face model directory: config.json, model.safetensors and the
     * tokenizer files it was loaded with.
     *
     * @param dir the output directory (created if needed)
     */
    public void save(Path dir) {
        saveMerged(dir, LoraSpec.DEFAULT, NamedTensors.empty());
    }

    private void writeModelDir(Path dir, NamedTensors tensors) {
        try {
            Files.createDirectories(dir);
            byte[] config = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec.toConfigJson());
            AtomicFile.write(dir.resolve("config.json"), out -> out.write(config));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            if (sourceDir != null && !sourceDir.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                for (String f : TOKENIZER_FILES) {
                    Path src = sourceDir.resolve(f);
                    if (Files.isRegularFile(src)) {
                        Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new FedbiotException("cannot write model directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private NDArray forward(NDManager m, Batch batch, List<Integer> layers, LoraSet set, boolean training,
            ModelDropout dropout) {
        checkBatch(batch);
        ForwardContext ctx = stack.context(m, batch.batchSize(), batch.seqLen(), 0, training, dropout);
        return stack.run(stack.embed(m, batch.tokens(), ctx), layers, set, ctx, null);
    }

    private static void requireLayers(NamedTensors tensors, List<Integer> layers, String what) {
        for (String name : tensors.names()) {
            int layer = LoraNames.layerOf(name);
            if (!layers.contains(layer)) {
                throw new IllegalArgumentException(what + " tensor '" + name + "' is for layer " + layer
                        + ", which is not among the plan's layers " + layers);
            }
        }
    }

    private LoraSpec mapLora(LoraSpec lora) {
        if (lora == null) {
            throw new IllegalArgumentException("LoRA spec must not be null");
        }
        return lora.forArchitecture(spec.architecture());
    }

    private void checkStack(List<Integer> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("layer stack must name at least one decoder layer");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer l : layers) {
            if (l == null || l < 0 || l >= spec.numLayers()) {
                throw new IllegalArgumentException("layer stack " + layers + ": index " + l
                        + " is out of range [0, " + spec.numLayers() + ")");
            }
            if (!seen.add(l)) {
                throw new IllegalArgumentException("layer stack " + layers + " names layer " + l + " twice");
            }
        }
    }

    private void checkSteps(List<List<Batch>> steps) {
        for (List<Batch> step : steps) {
            if (step.isEmpty()) {
                throw new IllegalArgumentException("every optimizer step needs at least one micro-batch");
            }
            step.forEach(this::checkBatch);
        }
    }

    private void checkBatch(Batch batch) {
        checkTokens(batch.tokens(), batch.batchSize(), batch.seqLen());
    }

    private void checkTokens(int[] tokens, int batchSize, int seqLen) {
        if (batchSize <= 0 || seqLen <= 0 || tokens.length != (long) batchSize * seqLen) {
            throw new IllegalArgumentException("expected " + batchSize + "x" + seqLen + " tokens, got "
                    + tokens.length);
        }
        if (seqLen > spec.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + seqLen + " exceeds the model's context length "
                    + spec.maxPositions());
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= spec.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at row " + (i / seqLen) + ", position "
                        + (i % seqLen) + " is outside the vocabulary [0, " + spec.vocabSize() + ")");
            }
        }
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
