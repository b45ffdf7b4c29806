/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import ai.onnx.proto.OnnxMl;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tribuo.onnx.LabelScoringGraph;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A text classifier backed by a fine-tuned decoder-only LM: the probability of each label is the softmax over
 * the labels of {@code log p(response(label) | prompt(text))}, computed by {@link
 * BaseModel#sequenceLogLikelihoods} over the configured layer stack (the full model with the adapter plugged
 * in, "AdapFu", or the emulator with the adapter, "AdapEmu") and LoRA.
 *
 * <p>The text of an example is read from the metadata key given at training time. An example without that
 * key may instead carry the prompt as token features ({@link #tokenExample}): features {@code tok-0000 ..}
 * whose values are token id + 1. The model's feature map is exactly these P features, which is also the
 * input of the ONNX export, so Tribuo's {@code DenseTransformer} feeds an exported model.
 *
 * <p>The model holds the loaded {@link BaseModel} (native memory): {@link #close()} releases it. Java
 * serialization is not supported; persist the model with {@link #saveONNXModel} or {@link #saveAdapter}.
 *
 * <p>This class is the Tribuo face of the model (provenance, copies, the public API); scoring is {@code
 * LabelScorer}'s, the token features are {@code TokenFeatures}' and the ONNX export is {@code
 * LabelScorerExport}'s.
 */
public final class FedBiOTModel extends Model<Label> implements ONNXExportable, AutoCloseable {
    private static final long serialVersionUID = 1L;

    /** Prefix of the token-position features. */
    public static final String TOKEN_FEATURE_PREFIX = "tok-";
    /** Name of the ONNX output holding the summed log-likelihood of each label. */
    public static final String LOG_LIKELIHOOD_OUTPUT = "log_likelihoods";
    /** ONNX metadata key holding the whole prompt around the text ({@code {text}} marks the text). */
    public static final String META_TEMPLATE = "fedbiot.prompt_template";
    /** ONNX metadata key holding P. */
    public static final String META_PROMPT_TOKENS = "fedbiot.max_prompt_tokens";
    /** ONNX metadata key holding the labels, one per line, in output order. */
    public static final String META_LABELS = "fedbiot.labels";

    private final transient LabelScorer scorer;
    private final String instructionTemplate;

    FedBiOTModel(String name, ModelProvenance provenance, ImmutableOutputInfo<Label> outputInfo, BaseModel base,
            LoraSpec lora, NamedTensors loraTensors, List<Integer> stack, String textKey,
            String instructionTemplate, int maxPromptTokens) {
        super(name, provenance, TokenFeatures.featureMap(maxPromptTokens), outputInfo, true);
        this.instructionTemplate = instructionTemplate;
        this.scorer = new LabelScorer(base, lora, loraTensors, stack, textKey,
                new PromptEncoder(base.tokenizer(), instructionTemplate, maxPromptTokens), outputInfo);
    }

    /** Returns the LoRA tensors applied at prediction time (adapter, plus the emulator's in AdapEmu). @return them */
    public NamedTensors loraTensors() {
        return scorer.loraTensors();
    }

    /** Returns the decoder layers that prediction runs. @return layer indices in order */
    public List<Integer> stack() {
        return scorer.stack();
    }

    /** Returns the prompt encoder (template, tokenizer, width). @return the encoder */
    public PromptEncoder promptEncoder() {
        return scorer.encoder();
    }

    /**
     * Returns an example that carries the prompt of a text as token-position features (token id + 1), the
     * input the ONNX export expects.
     *
     * @param text the text to classify
     * @return an example with the unknown label
     */
    public Example<Label> tokenExample(String text) {
        return TokenFeatures.example(scorer.encoder().prompt(text));
    }

    /**
     * Returns the summed log-likelihood of each label's response given the prompt of a text.
     *
     * @param text the text
     * @return one value per label, indexed by label id
     */
    public double[] logLikelihoods(String text) {
        return scorer.logLikelihoods(List.of(scorer.encoder().prompt(text))).get(0);
    }

    /** {@inheritDoc} */
    @Override
    public Prediction<Label> predict(Example<Label> example) {
        return scorer.predict(example);
    }

    /** Scores examples in chunks so that each engine call sees several prompts. */
    @Override
    protected List<Prediction<Label>> innerPredict(Iterable<Example<Label>> examples) {
        return scorer.predict(examples);
    }

    /**
     * Returns no feature ranking: the model's features are token positions, not interpretable features.
     *
     * @param n ignored
     * @return an empty map
     */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Map.of();
    }

    /**
     * Returns no excuse: this model gives no per-feature explanation of its LM scores.
     *
     * @param example ignored
     * @return empty
     */
    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    /** {@inheritDoc} */
    @Override
    protected Model<Label> copy(String newName, ModelProvenance newProvenance) {
        return new FedBiOTModel(newName, newProvenance, outputIDInfo, scorer.base(), scorer.lora(),
                scorer.loraTensors(), scorer.stack(), scorer.textKey(), instructionTemplate,
                scorer.encoder().maxPromptTokens());
    }

    /**
     * Writes the LoRA tensors used at prediction time to a safetensors file.
     *
     * @param file the output file
     */
    public void saveAdapter(Path file) {
        SafetensorsWriter.write(file, scorer.loraTensors(), Map.of("fedbiot.stack", scorer.stack().toString()));
    }

    /**
     * Exports the label scorer: input {@code input} {@code [batch, P]}, outputs {@value #LOG_LIKELIHOOD_OUTPUT}
     * then {@code output} (the probabilities {@link #predict} returns), both {@code [batch, labels]} in label-id
     * order, so that Tribuo's {@code ONNXExternalModel} with its {@code LabelTransformer} predicts the same scores.
     *
     * @param domain the ONNX domain
     * @param modelVersion the model version
     * @return the model with the prompt template, P and the labels as metadata
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        return new LabelScorerExport(scorer).model(this, domain, modelVersion);
    }

    /**
     * Writes the label-scoring graph and returns its probability node (see {@link LabelScoringGraph} for the
     * input and output contract).
     *
     * @param input the {@code [batch, P]} float input
     * @return the {@code [batch, labels]} probabilities
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        return new LabelScorerExport(scorer).scores(input).probabilities();
    }

    /** Releases the base model's native memory (shared with copies made by Tribuo's {@code copy}). */
    @Override
    public void close() {
        scorer.base().close();
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException("FedBiOTModel holds a native model; export it with saveONNXModel "
                + "or save its LoRA with saveAdapter");
    }
}
