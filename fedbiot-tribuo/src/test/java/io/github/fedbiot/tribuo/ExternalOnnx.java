/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.interop.onnx.DenseTransformer;
import org.tribuo.interop.onnx.LabelTransformer;
import org.tribuo.interop.onnx.ONNXExternalModel;

/**
 * Loads a {@link FedBiOTModel}'s ONNX export into Tribuo's {@link ONNXExternalModel} exactly as docs/tribuo.md
 * shows, and compares its predictions with the Java model's.
 */
final class ExternalOnnx {
    private ExternalOnnx() {}

    /**
     * Opens the export with the model's feature and label ids, Tribuo's dense input and its label output
     * converter (the defaults: scores are probabilities).
     *
     * @param model the model that wrote the file
     * @param onnx the exported file
     * @return the external model; close it
     * @throws OrtException if ONNX Runtime cannot load the file
     */
    static ONNXExternalModel<Label> open(FedBiOTModel model, Path onnx) throws OrtException {
        Map<String, Integer> features = new HashMap<>();
        model.getFeatureIDMap().forEach(v -> features.put(v.getName(), model.getFeatureIDMap().getID(v.getName())));
        Map<Label, Integer> outputs = new HashMap<>();
        model.getOutputIDInfo().getDomain().forEach(l -> outputs.put(l, model.getOutputIDInfo().getID(l)));
        return ONNXExternalModel.createOnnxModel(new LabelFactory(), features, outputs, new DenseTransformer(),
                new LabelTransformer(), new OrtSession.SessionOptions(), onnx, "input");
    }

    /**
     * Predicts texts with the external model, which sees only their token features.
     *
     * @param external the external model
     * @param model the model whose prompt encoding makes the token features
     * @param texts the texts
     * @return one prediction per text
     */
    static List<Prediction<Label>> predict(ONNXExternalModel<Label> external, FedBiOTModel model,
            List<String> texts) {
        List<Example<Label>> tokens = new ArrayList<>();
        texts.forEach(t -> tokens.add(model.tokenExample(t)));
        return external.predict(tokens);
    }

    /**
     * Returns the largest absolute difference between the scores two lists of predictions give one label.
     *
     * @param a predictions
     * @param b predictions of the same examples, with the same labels
     * @return the max abs score difference
     */
    static double maxScoreDifference(List<Prediction<Label>> a, List<Prediction<Label>> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(a.size() + " predictions against " + b.size());
        }
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            for (Map.Entry<String, Label> e : a.get(i).getOutputScores().entrySet()) {
                Label other = b.get(i).getOutputScores().get(e.getKey());
                max = Math.max(max, other == null ? Double.POSITIVE_INFINITY
                        : Math.abs(e.getValue().getScore() - other.getScore()));
            }
        }
        return max;
    }

    /**
     * Returns the predicted label of each prediction.
     *
     * @param predictions the predictions
     * @return their labels, in order
     */
    static List<String> labels(List<Prediction<Label>> predictions) {
        return predictions.stream().map(p -> p.getOutput().getLabel()).toList();
    }
}
