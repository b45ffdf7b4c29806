/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.fake;

import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.EvalResult;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.TextTokenizer;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plain-Java {@link BaseModel} for testing the round logic in milliseconds: "training" adds to every LoRA value
 * the learning rate times the mean labelled token id of the batches (divided by 100), once per step, so results
 * are exact, deterministic functions of the data, the LoRA and the settings; the loss is that mean; evaluation
 * scores the LoRA's squared norm; generation always answers {@code #### 1}. A hook runs before each local training (to fail it or let a clock advance).
 */
public final class FakeModel implements BaseModel {
    /** 4 decoder layers, hidden size 8, vocabulary 64. */
    public static final ModelSpec SPEC = ModelSpec.llama(64, 8, 4, 2, 1, 16, 1024, false);

    private final Consumer<LocalTrainRequest> beforeTrain;

    /** Creates a model whose training always succeeds at once. */
    public FakeModel() {
        this(r -> {});
    }

    /**
     * Creates a model with a hook.
     *
     * @param beforeTrain runs before every {@link #trainLocal}; may throw to make the client fail
     */
    public FakeModel(Consumer<LocalTrainRequest> beforeTrain) {
        this.beforeTrain = beforeTrain;
    }

    @Override
    public ModelSpec spec() {
        return SPEC;
    }

    @Override
    public TextTokenizer tokenizer() {
        return CharTokenizer.INSTANCE;
    }

    @Override
    public boolean hasTokenizer() {
        return true;
    }

    @Override
    public float[] logits(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, int[] tokens, int batchSize,
            int seqLen) {
        throw new UnsupportedOperationException("the fake model has no vocabulary to score");
    }

    @Override
    public LocalTrainResult trainLocal(LocalTrainRequest request) {
        beforeTrain.accept(request);
        double signal = signal(request.steps());
        NamedTensors trained = shift(request.trainableLora(),
                request.optimizer().learningRate() * request.steps().size() * signal / 100);
        int samples = request.steps().stream().flatMap(List::stream).mapToInt(Batch::samples).sum();
        request.steps().forEach(step -> request.observer().onSteps(1));
        return new LocalTrainResult(trained, samples, request.steps().size(), signal,
                request.proximalWeight() * signal, 0);
    }

    @Override
    public AlignResult alignEmulator(AlignRequest request) {
        double signal = signal(request.steps());
        request.steps().forEach(step -> request.observer().onSteps(1));
        NamedTensors aligned = shift(request.emulatorLora(),
                request.optimizer().learningRate() * request.steps().size() * signal / 100);
        return new AlignResult(aligned, request.steps().size(), signal / 10, request.klWeight() * signal / 100, 0);
    }

    @Override
    public EvalResult evaluate(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, List<Batch> batches) {
        long tokens = batches.stream().mapToLong(Batch::targetCount).sum();
        double norm = loraTensors.asMap().values().stream().mapToDouble(Tensor::squaredNorm).sum();
        return new EvalResult(tokens * (1 + norm + stack.size() / 100.0), tokens);
    }

    @Override
    public double[] sequenceLogLikelihoods(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors,
            Batch batch) {
        return new double[batch.batchSize()];
    }

    @Override
    public int[] generate(List<Integer> stack, LoraSpec lora, NamedTensors loraTensors, int[] prompt,
            GenerationConfig config) {
        return CharTokenizer.INSTANCE.encode("#### 1");
    }

    @Override
    public void saveMerged(Path dir, LoraSpec lora, NamedTensors loraTensors) {
        throw new UnsupportedOperationException("the fake model has no weights to merge");
    }

    @Override
    public void close() {}

    /** The mean labelled token id over all micro-batches. */
    private static double signal(List<List<Batch>> steps) {
        long sum = 0;
        long n = 0;
        for (List<Batch> step : steps) {
            for (Batch b : step) {
                for (int i = 0; i < b.labels().length; i++) {
                    if (b.labels()[i] != Batch.IGNORE) {
                        sum += b.labels()[i];
                        n++;
                    }
                }
            }
        }
        return n == 0 ? 0 : (double) sum / n;
    }

    /**
     * Adds a constant to every value, as the fake's training does.
     *
     * @param t the tensors
     * @param by the constant
     * @return the shifted copy
     */
    public static NamedTensors shift(NamedTensors t, double by) {
        NamedTensors.Builder b = NamedTensors.builder();
        t.asMap().forEach((name, v) -> {
            float[] d = v.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) by;
            }
            b.add(name, new Tensor(v.shape(), d));
        });
        return b.build();
    }

    /** One token per printable ASCII character from space to {@code [} (others: 63); 0 pads, 2 ends a sequence. */
    private enum CharTokenizer implements TextTokenizer {
        INSTANCE;

        @Override
        public int[] encode(String text) {
            return text.chars().map(c -> c >= 32 && c < 92 ? c - 29 : 63).toArray();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                if (id >= 3 && id < 63) {
                    sb.append((char) (id + 29));
                }
            }
            return sb.toString();
        }

        @Override
        public int eosId() {
            return 2;
        }

        @Override
        public int padId() {
            return 0;
        }

        @Override
        public int vocabSize() {
            return 64;
        }
    }
}
