/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import ai.onnx.proto.OnnxMl;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsCheckpoint;
import io.github.fedbiot.tensor.Tensor;
import io.github.fedbiot.tribuo.onnx.LabelScoringGraph;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableFeatureMap;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
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

    private static final int PREDICT_CHUNK = 8;

    private final transient BaseModel base;
    private final transient NamedTensors loraTensors;
    private final transient PromptEncoder encoder;
    private final LoraSpec lora;
    private final List<Integer> stack;
    private final String textKey;
    private final String instructionTemplate;
    private final String[] labels;
    private final int[][] responses;

    FedBiOTModel(String name, ModelProvenance provenance, ImmutableOutputInfo<Label> outputInfo, BaseModel base,
            LoraSpec lora, NamedTensors loraTensors, List<Integer> stack, String textKey,
            String instructionTemplate, int maxPromptTokens) {
        super(name, provenance, tokenFeatureMap(maxPromptTokens), outputInfo, true);
        this.base = base;
        this.lora = lora;
        this.loraTensors = loraTensors;
        this.stack = List.copyOf(stack);
        this.textKey = textKey;
        this.instructionTemplate = instructionTemplate;
        this.encoder = new PromptEncoder(base.tokenizer(), instructionTemplate, maxPromptTokens);
        this.labels = new String[outputInfo.size()];
        this.responses = new int[outputInfo.size()][];
        for (Pair<Integer, Label> p : outputInfo) {
            labels[p.getA()] = p.getB().getLabel();
            responses[p.getA()] = encoder.response(p.getB().getLabel());
        }
    }

    /**
     * Returns the feature map of P token-position features {@code tok-0000 ..}, in position order.
     *
     * @param promptTokens P
     * @return the immutable map
     */
    static ImmutableFeatureMap tokenFeatureMap(int promptTokens) {
        MutableFeatureMap fm = new MutableFeatureMap();
        for (int i = 0; i < promptTokens; i++) {
            fm.add(tokenFeature(i), 1.0);
        }
        return new ImmutableFeatureMap(fm);
    }

    private static String tokenFeature(int position) {
        return String.format("%s%04d", TOKEN_FEATURE_PREFIX, position);
    }

    /** Returns the LoRA tensors applied at prediction time (adapter, plus the emulator's in AdapEmu). @return them */
    public NamedTensors loraTensors() {
        return loraTensors;
    }

    /** Returns the decoder layers that prediction runs. @return layer indices in order */
    public List<Integer> stack() {
        return stack;
    }

    /** Returns the prompt encoder (template, tokenizer, width). @return the encoder */
    public PromptEncoder promptEncoder() {
        return encoder;
    }

    /**
     * Returns an example that carries the prompt of a text as token-position features (token id + 1), the
     * input the ONNX export expects.
     *
     * @param text the text to classify
     * @return an example with the unknown label
     */
    public Example<Label> tokenExample(String text) {
        int[] ids = encoder.prompt(text);
        ArrayExample<Label> ex = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL);
        for (int i = 0; i < ids.length; i++) {
            ex.add(new Feature(tokenFeature(i), ids[i] + 1.0));
        }
        return ex;
    }

    /**
     * Returns the summed log-likelihood of each label's response given the prompt of a text.
     *
     * @param text the text
     * @return one value per label, indexed by label id
     */
    public double[] logLikelihoods(String text) {
        return logLikelihoods(List.of(encoder.prompt(text))).get(0);
    }

    private List<double[]> logLikelihoods(List<int[]> prompts) {
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

    private int[] promptOf(Example<Label> example) {
        Optional<Object> text = example.getMetadataValue(textKey);
        if (text.isPresent()) {
            return encoder.prompt(text.get().toString());
        }
        Map<Integer, Integer> byPos = new HashMap<>();
        for (Feature f : example) {
            if (f.getName().startsWith(TOKEN_FEATURE_PREFIX)) {
                int pos = Integer.parseInt(f.getName().substring(TOKEN_FEATURE_PREFIX.length()));
                byPos.put(pos, (int) Math.round(f.getValue()) - 1);
            }
        }
        if (byPos.isEmpty()) {
            throw new IllegalArgumentException("example has neither metadata '" + textKey
                    + "' nor token features '" + TOKEN_FEATURE_PREFIX + "NNNN': " + example);
        }
        int[] ids = new int[byPos.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = byPos.get(i);
            if (id == null || id < 0) {
                throw new IllegalArgumentException("token features must cover positions 0.." + (ids.length - 1)
                        + " with values >= 1 (token id + 1); position " + i + " is missing");
            }
            ids[i] = id;
        }
        return ids;
    }

    /**
     * Converts label scores to a Tribuo prediction.
     *
     * @param ll the log-likelihoods by label id
     * @param example the example
     * @return the prediction with softmax probabilities
     */
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

    /** {@inheritDoc} */
    @Override
    public Prediction<Label> predict(Example<Label> example) {
        return toPrediction(logLikelihoods(List.of(promptOf(example))).get(0), example);
    }

    /** Scores examples in chunks so that each engine call sees several prompts. */
    @Override
    protected List<Prediction<Label>> innerPredict(Iterable<Example<Label>> examples) {
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
        List<double[]> ll = logLikelihoods(chunk.stream().map(this::promptOf).toList());
        for (int i = 0; i < chunk.size(); i++) {
            out.add(toPrediction(ll.get(i), chunk.get(i)));
        }
        chunk.clear();
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
        return new FedBiOTModel(newName, newProvenance, outputIDInfo, base, lora, loraTensors, stack, textKey,
                instructionTemplate, encoder.maxPromptTokens());
    }

    /**
     * Writes the LoRA tensors used at prediction time to a safetensors file.
     *
     * @param file the output file
     */
    public void saveAdapter(Path file) {
        io.github.fedbiot.tensor.SafetensorsWriter.write(file, loraTensors, Map.of("fedbiot.stack",
                stack.toString()));
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
        ONNXContext ctx = new ONNXContext();
        ctx.setName("FedBiOT-label-scorer");
        ONNXPlaceholder input = ctx.floatInput(featureIDMap.size());
        // Tribuo's LabelTransformer reads the second of two outputs as the scores (the ONNX-ML classifier
        // layout), so the probabilities must come second for ONNXExternalModel to return them.
        ONNXPlaceholder llOutput = ctx.floatOutput(LOG_LIKELIHOOD_OUTPUT, outputIDInfo.size());
        ONNXPlaceholder output = ctx.floatOutput(outputIDInfo.size());
        LabelScoringGraph.Scores scores = scores(input);
        scores.probabilities().assignTo(output);
        scores.logLikelihoods().assignTo(llOutput);
        OnnxMl.ModelProto proto = ONNXExportable.buildModel(ctx, domain, modelVersion, this);
        return proto.toBuilder()
                .addMetadataProps(meta(META_TEMPLATE, encoder.promptTemplate()))
                .addMetadataProps(meta(META_PROMPT_TOKENS, Integer.toString(encoder.maxPromptTokens())))
                .addMetadataProps(meta(META_LABELS, String.join("\n", labels)))
                .build();
    }

    private static OnnxMl.StringStringEntryProto meta(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
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
        return scores(input).probabilities();
    }

    private LabelScoringGraph.Scores scores(ONNXRef<?> input) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fedbiot-onnx-merged");
            base.saveMerged(dir, lora, loraTensors);
            try (SafetensorsCheckpoint reader = SafetensorsCheckpoint.open(dir)) {
                java.util.function.Function<String, Tensor> weights = n -> reader.contains(n) ? reader.read(n)
                        : null;
                return new LabelScoringGraph(input.onnxContext(), base.spec(), weights, stack,
                        encoder.maxPromptTokens(), responses).build(input);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the merged checkpoint for the ONNX export", e);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temp directory is harmless; the export itself succeeded or already failed.
        }
    }

    /** Releases the base model's native memory (shared with copies made by Tribuo's {@code copy}). */
    @Override
    public void close() {
        base.close();
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        throw new NotSerializableException("FedBiOTModel holds a native model; export it with saveONNXModel "
                + "or save its LoRA with saveAdapter");
    }
}
