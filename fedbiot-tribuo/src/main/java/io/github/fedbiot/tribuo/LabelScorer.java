/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/**
 * Scores examples against every label with the fine-tuned LM: {@code log p(response(label) | prompt(text))}
 * through {@link BaseModel#sequenceLogLikelihoods} over the layer stack with LoRA, and the softmax of those
 * as the prediction. Everything here is fixed when the model is built, so copies of the model share it.
 */
final class LabelScorer {
    /** Examples per engine call: enough to batch the LM, few enough to keep the batch's memory small. */
    private static final int PREDICT_CHUNK = 8;

    private final BaseModel base;
    private final LoraSpec lora;
    private final NamedTensors loraTensors;
    private final List<Integer> stack;
    private final String textKey;
    private final PromptEncoder encoder;
    private final String[] labels;
    private final int[][] responses;

    /**
     * Creates a scorer.
     *
     * @param base the loaded model
     * @param lora the LoRA shape
     * @param loraTensors the LoRA tensors of the stack
     * @param stack the decoder layers to run, in order
     * @param textKey the example metadata key of the text
     * @param encoder the prompt encoder
     * @param outputInfo the labels, whose ids give the score order
     */
    LabelScorer(BaseModel base, LoraSpec lora, NamedTensors loraTensors, List<Integer> stack, String textKey,
            PromptEncoder encoder, ImmutableOutputInfo<Label> outputInfo) {
        this.base = base;
        this.lora = lora;
        this.loraTensors = loraTensors;
        this.stack = List.copyOf(stack);
        this.textKey = textKey;
        this.encoder = encoder;
        this.labels = new String[outputInfo.size()];
        this.responses = new int[outputInfo.size()][];
        for (Pair<Integer, Label> p : outputInfo) {
            labels[p.getA()] = p.getB().getLabel();
            responses[p.getA()] = encoder.response(p.getB().getLabel());
        }
    }

    BaseModel base() {
        return base;
    }

    LoraSpec lora() {
        return lora;
    }

    NamedTensors loraTensors() {
        return loraTensors;
    }

    List<Integer> stack() {
        return stack;
    }

    String textKey() {
        return textKey;
    }

    PromptEncoder encoder() {
        return encoder;
    }

    /** Returns the labels in label-id order (a copy). @return the label texts */
    String[] labels() {
        return labels.clone();
    }

    /** Returns each label's response token ids in label-id order (a copy). @return the responses */
    int[][] responses() {
        return responses.clone();
    }

    /**
     * Returns the summed log-likelihood of each label's response after each prompt, all in one engine call.
     *
     * @param prompts prompt token ids
     * @return one row per prompt, one value per label id
     */
    List<double[]> logLikelihoods(List<int[]> prompts) {
        int l = labels.length;
        List<int[]> ps = new ArrayList<>();
        List<int[]> rs = new ArrayList<>();
        for (int[] p : prompts) {
            for (int j = 0; j < l; j++) {
                ps.add(p);
                rs.add(responses[j]);
            }
        }
        Batch batch = encoder.batch(ps, rs);
        double[] ll = base.sequenceLogLikelihoods(stack, lora, loraTensors, batch);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            double[] row = new double[l];
            System.arraycopy(ll, i * l, row, 0, l);
            out.add(row);
        }
        return out;
    }

    /**
     * Predicts one example.
     *
     * @param example an example with the text metadata or token features
     * @return the prediction with softmax probabilities
     */
    Prediction<Label> predict(Example<Label> example) {
        return toPrediction(logLikelihoods(List.of(prompt(example))).get(0), example);
    }

    /**
     * Predicts examples in chunks so that each engine call sees several prompts.
     *
     * @param examples examples with the text metadata or token features
     * @return the predictions in example order
     */
    List<Prediction<Label>> predict(Iterable<Example<Label>> examples) {
        List<Prediction<Label>> out = new ArrayList<>();
        List<Example<Label>> chunk = new ArrayList<>();
        for (Example<Label> e : examples) {
            chunk.add(e);
            if (chunk.size() == PREDICT_CHUNK) {
                predictChunk(chunk, out);
            }
        }
        predictChunk(chunk, out);
        return out;
    }

    private void predictChunk(List<Example<Label>> chunk, List<Prediction<Label>> out) {
        if (chunk.isEmpty()) {
            return;
        }
        List<double[]> ll = logLikelihoods(chunk.stream().map(this::prompt).toList());
        for (int i = 0; i < chunk.size(); i++) {
            out.add(toPrediction(ll.get(i), chunk.get(i)));
        }
        chunk.clear();
    }

    private int[] prompt(Example<Label> example) {
        return TokenFeatures.prompt(example, textKey, encoder);
    }

    /** Converts label scores to a Tribuo prediction whose scores are the softmax probabilities. */
    private Prediction<Label> toPrediction(double[] ll, Example<Label> example) {
        double[] probs = softmax(ll);
        Map<String, Label> scores = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < probs.length; i++) {
            scores.put(labels[i], new Label(labels[i], probs[i]));
            if (probs[i] > probs[best]) {
                best = i;
            }
        }
        return new Prediction<>(new Label(labels[best], probs[best]), scores, 0, example, true);
    }

    /**
     * Returns the softmax of the values, computed stably in double precision.
     *
     * @param v the values
     * @return probabilities summing to 1
     */
    static double[] softmax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.exp(v[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < v.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
