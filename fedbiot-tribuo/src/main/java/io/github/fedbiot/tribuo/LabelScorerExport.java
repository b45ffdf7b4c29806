/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static io.github.fedbiot.tribuo.FedBiOTModel.LOG_LIKELIHOOD_OUTPUT;
import static io.github.fedbiot.tribuo.FedBiOTModel.META_LABELS;
import static io.github.fedbiot.tribuo.FedBiOTModel.META_PROMPT_TOKENS;
import static io.github.fedbiot.tribuo.FedBiOTModel.META_TEMPLATE;

import ai.onnx.proto.OnnxMl;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.tensor.SafetensorsCheckpoint;
import io.github.fedbiot.tensor.Tensor;
import io.github.fedbiot.tribuo.onnx.LabelScoringGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.tribuo.ONNXExportable;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a {@link LabelScorer} as an ONNX {@link LabelScoringGraph}: the engine merges the LoRA into a
 * temporary checkpoint, whose weights become the graph's initializers.
 */
final class LabelScorerExport {
    private final LabelScorer scorer;

    /**
     * Creates the export of a scorer.
     *
     * @param scorer the scorer to export
     */
    LabelScorerExport(LabelScorer scorer) {
        this.scorer = scorer;
    }

    /**
     * Returns the whole ONNX model: input {@code input} {@code [batch, P]}, outputs {@value
     * FedBiOTModel#LOG_LIKELIHOOD_OUTPUT} then {@code output}, and the prompt template, P and the labels as
     * metadata.
     *
     * @param model the model whose provenance the ONNX model records
     * @param domain the ONNX domain
     * @param modelVersion the model version
     * @return the model
     */
    OnnxMl.ModelProto model(FedBiOTModel model, String domain, long modelVersion) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("FedBiOT-label-scorer");
        int labels = model.getOutputIDInfo().size();
        ONNXPlaceholder input = ctx.floatInput(model.getFeatureIDMap().size());
        // Tribuo's LabelTransformer reads the second of two outputs as the scores (the ONNX-ML classifier
        // layout), so the probabilities must come second for ONNXExternalModel to return them.
        ONNXPlaceholder llOutput = ctx.floatOutput(LOG_LIKELIHOOD_OUTPUT, labels);
        ONNXPlaceholder output = ctx.floatOutput(labels);
        LabelScoringGraph.Scores scores = scores(input);
        scores.probabilities().assignTo(output);
        scores.logLikelihoods().assignTo(llOutput);
        OnnxMl.ModelProto proto = ONNXExportable.buildModel(ctx, domain, modelVersion, model);
        PromptEncoder encoder = scorer.encoder();
        return proto.toBuilder()
                .addMetadataProps(meta(META_TEMPLATE, encoder.promptTemplate()))
                .addMetadataProps(meta(META_PROMPT_TOKENS, Integer.toString(encoder.maxPromptTokens())))
                .addMetadataProps(meta(META_LABELS, String.join("\n", scorer.labels())))
                .build();
    }

    private static OnnxMl.StringStringEntryProto meta(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /**
     * Writes the label-scoring graph into the input's context.
     *
     * @param input the {@code [batch, P]} float input
     * @return the probability and log-likelihood nodes
     */
    LabelScoringGraph.Scores scores(ONNXRef<?> input) {
        BaseModel base = scorer.base();
        try (ScratchDirectory dir = ScratchDirectory.create("fedbiot-onnx-merged")) {
            base.saveMerged(dir.path(), scorer.lora(), scorer.loraTensors());
            try (SafetensorsCheckpoint reader = SafetensorsCheckpoint.open(dir.path())) {
                Function<String, Tensor> weights = n -> reader.contains(n) ? reader.read(n) : null;
                return new LabelScoringGraph(input.onnxContext(), base.spec(), weights, scorer.stack(),
                        scorer.encoder().maxPromptTokens(), scorer.responses()).build(input);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the merged checkpoint for the ONNX export", e);
        }
    }
}
