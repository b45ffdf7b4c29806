/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.config.ConfigException;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>Each example's text is read from the metadata field {@link #textKey} (features are ignored, and may be
 * absent); the text becomes a prompt through {@link #promptTemplate} and the example's label, followed by EOS,
 * the response the clients learn. The examples are split into a server-side public set ({@link
 * #publicFraction}, used to align the emulator) and federated clients ({@link #partitioning}). Training runs
 * FedBiOT rounds: clients train LoRA on the adapter (the last {@link #adapterLayers} layers) over the
 * compressed model, the server averages and re-aligns the emulator (the teacher layers thinned by {@link
 * #dropRate}).
 *
 * <p>The returned {@link FedBiOTModel} scores each label by the log-likelihood of its response given the
 * prompt; its provenance holds this trainer's configuration, the dataset's provenance, and the run's
 * metrics (per-round client loss and alignment NL2/KL, engine name and version, client sizes).
 *
 * <p>Every hyper-parameter is an OLCUT {@link Config} field, checked by {@link #postConfig()}, which throws
 * {@link PropertyException} naming the field.
 *
 * @see <a href="https://arxiv.org/abs/2406.17706">FedBiOT (KDD 2024)</a>
 */
public final class FedBiOTTrainer implements Trainer<Label> {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTTrainer.class);

    /** The default prompt template (Alpaca's instruction and response markers). */
    public static final String DEFAULT_TEMPLATE = "### Instruction:\n{text}\n\n### Response:\n";

    @Config(mandatory = true, description = "Hugging Face model directory (config.json, model.safetensors, "
            + "tokenizer.json) of the full model the server owns.")
    private String modelPath;

    @Config(description = "Name of the fedbiot engine to load the model with; empty for the default engine.")
    private String engine = "";

    @Config(description = "Example metadata field holding the text to classify.")
    private String textKey = "text";

    @Config(description = "Prompt template; {text} is replaced by the example's text.")
    private String promptTemplate = DEFAULT_TEMPLATE;

    @Config(description = "Maximal prompt length in tokens (P); longer prompts keep BOS and their last tokens.")
    private int maxPromptTokens = 48;

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

    @Config(description = "Sequences per optimizer step (clients and alignment).")
    private int batchSize = 4;

    @Config(description = "Client AdamW learning rate.")
    private double learningRate = 1e-4;

    @Config(description = "Server AdamW learning rate for emulator alignment.")
    private double alignLearningRate = 1e-4;

    @Config(description = "mu: weight of the clients' proximal term ||merged(A) - merged(A_round_start)||^2.")
    private double mu = 0.0;

    @Config(description = "lambda: weight of the KL term of emulator alignment.")
    private double lambda = 1.0;

    @Config(description = "E: emulator alignment steps per round (0 disables alignment).")
    private int alignSteps = 10;

    @Config(description = "R0: pre-alignment before round 0 runs R0 * E steps.")
    private int preAlignRounds = 0;

    @Config(description = "Number of clients for IID partitioning.")
    private int numClients = 4;

    @Config(description = "How examples are split into clients: IID, or METADATA (one client per value of "
            + "partitionKey).")
    private Partitioning partitioning = Partitioning.IID;

    @Config(description = "Example metadata field for METADATA partitioning.")
    private String partitionKey = "";

    @Config(description = "Fraction of the examples held out as the server's public data for alignment, in "
            + "[0, 1).")
    private double publicFraction = 0.1;

    @Config(description = "Seed of every random choice (splits, LoRA init, batches, dropout).")
    private long seed = Trainer.DEFAULT_SEED;

    @Config(description = "Model the returned classifier runs: ADAP_FU (adapter in the full model) or ADAP_EMU "
            + "(adapter on the emulator).")
    private EvaluationMode evaluationMode = EvaluationMode.ADAP_FU;

    private ModelSpec spec;
    private LayerPlan plan;
    private LoraSpec lora;
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
     * Validates the configuration and derives the layer plan and LoRA settings. Used by the OLCUT
     * configuration system, and should not be called by external code.
     *
     * @throws PropertyException naming the invalid field
     */
    @Override
    public void postConfig() {
        require(modelPath != null && !modelPath.isBlank(), "modelPath", "must name a model directory");
        Path dir = Path.of(modelPath);
        require(Files.isRegularFile(dir.resolve("config.json")), "modelPath",
                "no config.json in '" + modelPath + "'");
        try {
            spec = ModelSpec.read(dir);
        } catch (FedbiotException e) {
            throw new PropertyException(e, "", "modelPath", "cannot read the model: " + e.getMessage());
        }
        require(engine != null, "engine", "must not be null (empty for the default engine)");
        require(textKey != null && !textKey.isBlank(), "textKey", "must name a metadata field");
        require(promptTemplate != null && promptTemplate.contains(PromptEncoder.TEXT_PLACEHOLDER), "promptTemplate",
                "must contain " + PromptEncoder.TEXT_PLACEHOLDER + " (found '" + promptTemplate + "')");
        require(maxPromptTokens >= 2 && maxPromptTokens < spec.maxPositions(), "maxPromptTokens",
                "must be in [2, " + (spec.maxPositions() - 1) + "] for this model (found " + maxPromptTokens + ")");
        try {
            plan = LayerPlan.lastK(spec.numLayers(), adapterLayers, dropRate);
        } catch (ConfigException e) {
            throw property(e, e.key().equals("plan.drop_rate") ? "dropRate" : "adapterLayers");
        }
        try {
            lora = new LoraSpec(loraRank, loraAlpha, loraDropout, loraTargets).forArchitecture(spec.architecture());
        } catch (ConfigException e) {
            throw property(e, switch (e.key()) {
                case "lora.rank" -> "loraRank";
                case "lora.alpha" -> "loraAlpha";
                case "lora.dropout" -> "loraDropout";
                default -> "loraTargets";
            });
        }
        require(rounds >= 1, "rounds", "must be >= 1 (found " + rounds + ")");
        require(localSteps >= 1, "localSteps", "must be >= 1 (found " + localSteps + ")");
        require(batchSize >= 1, "batchSize", "must be >= 1 (found " + batchSize + ")");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate",
                "must be > 0 (found " + learningRate + ")");
        require(alignLearningRate > 0 && Double.isFinite(alignLearningRate), "alignLearningRate",
                "must be > 0 (found " + alignLearningRate + ")");
        require(mu >= 0 && Double.isFinite(mu), "mu", "must be >= 0 (found " + mu + ")");
        require(lambda >= 0 && Double.isFinite(lambda), "lambda", "must be >= 0 (found " + lambda + ")");
        require(alignSteps >= 0, "alignSteps", "must be >= 0 (found " + alignSteps + ")");
        require(preAlignRounds >= 0, "preAlignRounds", "must be >= 0 (found " + preAlignRounds + ")");
        require(numClients >= 1, "numClients", "must be >= 1 (found " + numClients + ")");
        require(partitioning != null, "partitioning", "must be IID or METADATA");
        require(partitioning != Partitioning.METADATA || (partitionKey != null && !partitionKey.isBlank()),
                "partitionKey", "must name a metadata field when partitioning is METADATA");
        require(publicFraction >= 0 && publicFraction < 1, "publicFraction",
                "must be in [0, 1) (found " + publicFraction + ")");
        require(evaluationMode != null, "evaluationMode", "must be ADAP_FU or ADAP_EMU");
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new PropertyException("", field, field + " " + message);
        }
    }

    private static PropertyException property(ConfigException e, String field) {
        return new PropertyException(e, "", field, field + ": " + e.getMessage());
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

        List<Example<Label>> all = new ArrayList<>();
        for (Example<Label> e : dataset) {
            all.add(e);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the dataset is empty");
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).getMetadataValue(textKey).isEmpty()) {
                throw new IllegalArgumentException("example " + i + " has no metadata '" + textKey
                        + "' (the text to classify; see FedBiOTTrainer.textKey)");
            }
        }
        List<Example<Label>> shuffled = ClientPartitioner.shuffle(all, runSeed);
        int publicCount = (int) Math.floor(publicFraction * shuffled.size());
        List<Example<Label>> publicExamples = shuffled.subList(0, publicCount);
        List<Example<Label>> clientExamples = shuffled.subList(publicCount, shuffled.size());
        List<List<Example<Label>>> clients = partitioning == Partitioning.IID
                ? ClientPartitioner.iid(clientExamples, numClients, runSeed + 1)
                : ClientPartitioner.byMetadata(clientExamples, partitionKey);

        TrainingEngine eng = engine.isBlank() ? Engines.getDefault() : Engines.get(engine);
        BaseModel base = eng.load(Path.of(modelPath));
        try {
            PromptEncoder encoder = new PromptEncoder(base.tokenizer(), promptTemplate, maxPromptTokens,
                    base.spec().bosTokenId());
            List<List<TrainingSample>> clientData = clients.stream().map(c -> samples(encoder, c)).toList();
            List<TrainingSample> publicData = samples(encoder, publicExamples);
            logger.info("FedBiOT on {} examples: {} clients {}, {} public, plan adapter {} emulator {}", all.size(),
                    clients.size(), clients.stream().map(List::size).toList(), publicData.size(),
                    plan.adapterLayers(), plan.emulatorLayers());
            SpiFederation.Result result = SpiFederation.run(base, encoder, clientData, publicData,
                    new SpiFederation.Settings(plan, lora, rounds, localSteps, batchSize,
                            OptimizerConfig.DEFAULT.withLearningRate(learningRate),
                            OptimizerConfig.DEFAULT.withLearningRate(alignLearningRate), mu, lambda, alignSteps,
                            preAlignRounds, runSeed));

            List<Integer> stack;
            NamedTensors tensors;
            if (evaluationMode == EvaluationMode.ADAP_FU) {
                stack = plan.fullStack();
                tensors = result.adapter();
            } else {
                stack = plan.compressedStack();
                tensors = result.adapter().with(result.emulator());
            }
            Map<String, Provenance> run = new HashMap<>(runProvenance);
            run.put("engine", new StringProvenance("engine", eng.name()));
            run.put("engine-version", new StringProvenance("engine-version", eng.version()));
            run.put("client-sizes", new ListProvenance<>(clients.stream()
                    .map(c -> new IntProvenance("size", c.size())).toList()));
            run.put("public-size", new IntProvenance("public-size", publicData.size()));
            run.put("round-client-loss", doubles("loss", result.clientLoss()));
            run.put("round-align-nl2", doubles("nl2", result.alignNl2()));
            run.put("round-align-kl", doubles("kl", result.alignKl()));
            run.put("final-client-loss", new DoubleProvenance("final-client-loss",
                    result.clientLoss().get(result.clientLoss().size() - 1)));
            ModelProvenance provenance = new ModelProvenance(FedBiOTModel.class.getName(), OffsetDateTime.now(),
                    dataset.getProvenance(), trainerProvenance, run);
            return new FedBiOTModel("fedbiot-classifier", provenance, dataset.getOutputIDInfo(), base, lora, tensors,
                    stack, textKey, promptTemplate, maxPromptTokens);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    private static ListProvenance<DoubleProvenance> doubles(String name, List<Double> values) {
        return new ListProvenance<>(values.stream().map(v -> new DoubleProvenance(name, v)).toList());
    }

    private List<TrainingSample> samples(PromptEncoder encoder, List<Example<Label>> examples) {
        List<TrainingSample> out = new ArrayList<>();
        for (Example<Label> e : examples) {
            String text = e.getMetadataValue(textKey).orElseThrow().toString();
            out.add(new TrainingSample(encoder.prompt(text), encoder.response(e.getOutput().getLabel())));
        }
        return out;
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
                + rounds + ",clients=" + (partitioning == Partitioning.IID ? numClients : partitionKey) + ",mode="
                + evaluationMode + ")";
    }
}
