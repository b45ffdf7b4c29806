/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static io.github.fedbiot.tribuo.FieldErrors.property;
import static io.github.fedbiot.tribuo.FieldErrors.require;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.config.Algorithm;
import io.github.fedbiot.config.ClientConfig;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.EvalConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FederationConfig;
import io.github.fedbiot.config.ModelConfig;
import io.github.fedbiot.config.ServerConfig;
import io.github.fedbiot.config.SplitConfig;
import io.github.fedbiot.data.DatasetFormat;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.SimulationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * Trains a text classifier by FedBiOT federated fine-tuning of a decoder-only LM (KDD 2024, arXiv 2406.17706).
 *
 * <p>Each example's text is read from the metadata field {@link #textKey} (features are ignored; see {@link
 * TextExamples}); it becomes the instruction of an Alpaca prompt (through {@link #promptTemplate}) whose
 * response is the example's label followed by EOS. A seeded share of the examples ({@link #publicFraction})
 * becomes the server's public data for emulator alignment; the rest is divided among clients ({@link
 * #partitioning}: iid, one client per category, or Dirichlet over categories, where the category is the
 * metadata field {@link #partitionKey} or else the label). Training is fedbiot-core's {@link
 * FederatedSimulation}: clients train LoRA on the adapter (the last {@link #adapterLayers} layers) over the
 * compressed model, the server averages them and re-aligns the emulator (the teacher layers thinned by
 * {@link #dropRate}).
 *
 * <p>The returned {@link FedBiOTModel} scores each label by the log-likelihood of its response given the
 * prompt, in the model {@link #evaluationMode} names; its provenance holds this trainer's configuration, the
 * dataset's provenance and the run's metrics (per-round client loss and alignment NL2/KL, engine name and
 * version, client sizes).
 *
 * <p>Every hyper-parameter is an OLCUT {@link Config} field, checked by {@link #postConfig()}, which throws
 * {@link PropertyException} naming the field.
 *
 * <p>The trainer owns the configuration and the order of a run; {@code FederatedSplit} turns the dataset into
 * clients and public data, fedbiot-core's simulation trains, and {@code RunProvenance} records the run.
 *
 * @see <a href="https://arxiv.org/abs/2406.17706">FedBiOT (KDD 2024)</a>
 */
public final class FedBiOTTrainer implements Trainer<Label> {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTTrainer.class);

    @Config(mandatory = true, description = "Hugging Face model directory (config.json, model.safetensors, "
            + "tokenizer.json) of the full model the server owns.")
    private String modelPath;

    @Config(description = "Name of the fedbiot engine to load the model with; empty for the default engine.")
    private String engine = "";

    @Config(description = "Example metadata field holding the text to classify.")
    private String textKey = TextExamples.DEFAULT_TEXT_KEY;

    @Config(description = "Instruction template; {text} is replaced by the example's text, and the result is "
            + "the instruction of the Alpaca prompt.")
    private String promptTemplate = PromptEncoder.TEXT_PLACEHOLDER;

    @Config(description = "Maximal prompt length in tokens (P); longer prompts keep their last P tokens. 0 picks "
            + "min(256, the model's context - 16).")
    private int maxPromptTokens = 0;

    @Config(description = "K: the adapter is the last K decoder layers.")
    private int adapterLayers = 2;

    @Config(description = "beta: the emulator keeps round(n (1 - beta)) of the n teacher layers.")
    private double dropRate = 0.2;

    @Config(description = "LoRA rank r.")
    private int loraRank = 8;

    @Config(description = "LoRA alpha (scaling alpha / r).")
    private double loraAlpha = 16;

    @Config(description = "Dropout on the LoRA input during training, in [0, 1).")
    private double loraDropout = 0.05;

    @Config(description = "Modules LoRA adapts, Hugging Face names (q_proj, k_proj, v_proj, o_proj, gate_proj, "
            + "up_proj, down_proj; c_attn for GPT-2).")
    private List<String> loraTargets = new ArrayList<>(List.of("q_proj", "v_proj"));

    @Config(description = "Communication rounds.")
    private int rounds = 10;

    @Config(description = "Local optimizer steps per client per round.")
    private int localSteps = 10;

    @Config(description = "Sequences per micro-batch (clients and alignment).")
    private int batchSize = 4;

    @Config(description = "Micro-batches accumulated per optimizer step (clients and alignment).")
    private int gradAccum = 1;

    @Config(description = "AdamW learning rate of the clients and of emulator alignment.")
    private double learningRate = 1e-4;

    @Config(description = "mu: weight of the clients' proximal term ||merged(A) - merged(A_round_start)||^2.")
    private double mu = 0.0;

    @Config(description = "lambda: weight of the KL term of emulator alignment.")
    private double lambda = 0.9;

    @Config(description = "E: emulator alignment steps per round (0 disables alignment).")
    private int alignSteps = 10;

    @Config(description = "R0: pre-alignment before round 1 runs R0 * E steps.")
    private int preAlignRounds = 0;

    @Config(description = "Number of clients for IID and DIRICHLET partitioning.")
    private int numClients = 4;

    @Config(description = "How examples are split into clients: IID, CATEGORY (one client per category) or "
            + "DIRICHLET (category proportions drawn per client).")
    private Partitioning partitioning = Partitioning.IID;

    @Config(description = "Example metadata field holding the category for CATEGORY / DIRICHLET partitioning; "
            + "empty to use the label.")
    private String partitionKey = "";

    @Config(description = "Concentration of the DIRICHLET partition (smaller = more skewed).")
    private double dirichletAlpha = 0.5;

    @Config(description = "Fraction of the examples held out as the server's public data for alignment, in "
            + "[0, 1).")
    private double publicFraction = 0.1;

    @Config(description = "Seed of every random choice (splits, partition, LoRA init, batches, dropout).")
    private long seed = Trainer.DEFAULT_SEED;

    @Config(description = "Model the returned classifier runs: ADAP_FU (adapter in the full model) or ADAP_EMU "
            + "(adapter on the emulator).")
    private EvaluationMode evaluationMode = EvaluationMode.ADAP_FU;

    private LayerPlan plan;
    private int promptTokens;
    private int invocationCount = 0;

    /** For OLCUT. */
    private FedBiOTTrainer() {}

    /**
     * Creates a trainer with the defaults for a model directory.
     *
     * @param modelPath the Hugging Face model directory
     * @throws PropertyException if the directory is not a model
     */
    public FedBiOTTrainer(String modelPath) {
        this.modelPath = modelPath;
        postConfig();
    }

    /**
     * Validates the configuration and derives the layer plan. Used by the OLCUT configuration system, and
     * should not be called by external code.
     *
     * @throws PropertyException naming the invalid field
     */
    @Override
    public void postConfig() {
        require(modelPath != null && !modelPath.isBlank(), "modelPath", "must name a model directory");
        Path dir = Path.of(modelPath);
        require(Files.isRegularFile(dir.resolve("config.json")), "modelPath",
                "has no config.json ('" + modelPath + "')");
        ModelSpec spec;
        try {
            spec = ModelSpec.read(dir);
        } catch (FedbiotException e) {
            throw new PropertyException(e, "", "modelPath", "modelPath: cannot read the model: " + e.getMessage());
        }
        require(engine != null, "engine", "must not be null (empty for the default engine)");
        require(textKey != null && !textKey.isBlank(), "textKey", "must name a metadata field");
        require(promptTemplate != null && promptTemplate.contains(PromptEncoder.TEXT_PLACEHOLDER), "promptTemplate",
                "must contain " + PromptEncoder.TEXT_PLACEHOLDER + " (found '" + promptTemplate + "')");
        require(maxPromptTokens == 0 || (maxPromptTokens >= 2 && maxPromptTokens < spec.maxPositions()),
                "maxPromptTokens", "must be 0 (automatic) or in [2, " + (spec.maxPositions() - 1)
                        + "] for this model (found " + maxPromptTokens + ")");
        promptTokens = maxPromptTokens > 0 ? maxPromptTokens : Math.max(2, Math.min(256, spec.maxPositions() - 16));
        require(rounds >= 1, "rounds", "must be >= 1 (found " + rounds + ")");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate",
                "must be > 0 (found " + learningRate + ")");
        require(mu >= 0 && Double.isFinite(mu), "mu", "must be >= 0 (found " + mu + ")");
        require(lambda >= 0 && Double.isFinite(lambda), "lambda", "must be >= 0 (found " + lambda + ")");
        require(partitioning != null, "partitioning", "must be IID, CATEGORY or DIRICHLET");
        require(partitionKey != null, "partitionKey", "must not be null (empty to partition by label)");
        require(partitioning != Partitioning.IID || partitionKey.isBlank(), "partitionKey",
                "is used only by CATEGORY and DIRICHLET partitioning; IID would ignore it (found '" + partitionKey
                        + "')");
        require(publicFraction >= 0 && publicFraction < 1, "publicFraction",
                "must be in [0, 1) (found " + publicFraction + ")");
        require(alignSteps == 0 || publicFraction > 0, "publicFraction",
                "must be > 0 when alignSteps > 0 (alignment needs public data)");
        require(evaluationMode != null, "evaluationMode", "must be ADAP_FU or ADAP_EMU");
        try {
            FedbiotConfig core = coreConfig(promptTokens + 8);
            plan = LayerPlan.lastK(spec.numLayers(), core.plan().adapterLayers(), core.plan().dropRate());
            core.lora().forArchitecture(spec.architecture());
        } catch (ConfigException e) {
            throw property(e);
        }
    }

    /** Builds fedbiot-core's configuration from the fields (its records validate the values). */
    private FedbiotConfig coreConfig(int maxLength) {
        return new FedbiotConfig(seed, Algorithm.FEDBIOT, new ModelConfig(modelPath),
                new DataConfig("", DatasetFormat.AUTO, "", "", DatasetFormat.AUTO, partitioning.scheme(), numClients,
                        dirichletAlpha, 0.0, 0.0, Math.max(8, maxLength), 0),
                new SplitConfig(adapterLayers, dropRate, SplitConfig.DEFAULT.baselinePad()),
                new LoraSpec(loraRank, loraAlpha, loraDropout, loraTargets),
                OptimizerConfig.DEFAULT.withLearningRate(learningRate),
                new ClientConfig(localSteps, batchSize, gradAccum, mu, true),
                new ServerConfig(alignSteps, preAlignRounds, lambda, batchSize, gradAccum, false),
                new FederationConfig(rounds, 1.0, 0, 0.0, 0.0),
                new EvalConfig(rounds, 0, 0, 1, batchSize));
    }

    /** Returns the layer plan derived from the configuration. @return the plan */
    public LayerPlan layerPlan() {
        return plan;
    }

    /** {@inheritDoc} */
    @Override
    public FedBiOTModel train(Dataset<Label> examples) {
        return train(examples, Map.of(), INCREMENT_INVOCATION_COUNT);
    }

    /** {@inheritDoc} */
    @Override
    public FedBiOTModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /** {@inheritDoc} */
    @Override
    public synchronized FedBiOTModel train(Dataset<Label> dataset, Map<String, Provenance> runProvenance,
            int invocation) {
        if (invocation != INCREMENT_INVOCATION_COUNT) {
            setInvocationCount(invocation);
        }
        TrainerProvenance trainerProvenance = getProvenance();
        long runSeed = seed + invocationCount;
        invocationCount++;

        FederatedSplit split = new FederatedSplit(textKey, partitionKey, publicFraction);
        List<Example<Label>> all = split.examples(dataset);
        TrainingEngine eng = engine.isBlank() ? Engines.getDefault() : Engines.get(engine);
        BaseModel base = eng.load(Path.of(modelPath));
        try {
            PromptEncoder encoder = new PromptEncoder(base.tokenizer(), promptTemplate, promptTokens);
            int maxResponse = 0;
            for (Label l : dataset.getOutputIDInfo().getDomain()) {
                maxResponse = Math.max(maxResponse, encoder.response(l.getLabel()).length);
            }
            FedbiotConfig config = coreConfig(promptTokens + maxResponse);
            FederatedDataset data = split.split(all, encoder, config.data().partitioner(), runSeed);
            logger.info("FedBiOT on {} examples: {} clients {}, {} public, adapter {}, emulator {}", all.size(),
                    data.clients().size(), FederatedSplit.clientSizes(data), data.publicExamples().size(),
                    plan.adapterLayers(), plan.emulatorLayers());
            SimulationResult result = simulate(config.withSeed(runSeed), base, data);

            ModelProvenance provenance = new ModelProvenance(FedBiOTModel.class.getName(), OffsetDateTime.now(),
                    dataset.getProvenance(), trainerProvenance, RunProvenance.of(runProvenance, eng, data,
                            result.records()));
            return new FedBiOTModel("fedbiot-classifier", provenance, dataset.getOutputIDInfo(), base,
                    config.lora().forArchitecture(base.spec().architecture()),
                    evaluationMode.target().lora(result.adapterLora(), result.emulatorLora()),
                    evaluationMode.target().stack(plan), textKey, promptTemplate, promptTokens);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /** Runs fedbiot-core's simulation in a run directory that is deleted afterwards. */
    private static SimulationResult simulate(FedbiotConfig config, BaseModel base, FederatedDataset data) {
        try (ScratchDirectory outDir = ScratchDirectory.create("fedbiot-tribuo-run")) {
            return new FederatedSimulation(config, base, data, outDir.path()).run(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory", e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized void setInvocationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("invocation count must be >= 0 (found " + count + ")");
        }
        this.invocationCount = count;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "FedBiOTTrainer(modelPath=" + modelPath + ",K=" + adapterLayers + ",beta=" + dropRate + ",rounds="
                + rounds + ",partitioning=" + partitioning + ",mode=" + evaluationMode + ")";
    }
}
