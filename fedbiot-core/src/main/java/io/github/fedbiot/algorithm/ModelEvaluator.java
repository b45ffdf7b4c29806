/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.config.EvalConfig;
import io.github.fedbiot.data.AnswerExtractor;
import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.InstructionEncoder;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.EvalResult;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.StepObserver;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.List;

/**
 * Evaluates a model on each client's held-out examples: loss and perplexity over the response tokens (summed
 * over all clients' tokens), and exact match of the answer extracted from a greedy generation (GSM8K rule, see
 * {@link AnswerExtractor}).
 */
public final class ModelEvaluator {
    private final BaseModel model;
    private final LoraSpec lora;
    private final InstructionEncoder encoder;
    private final BatchCollator collator;
    private final EvalConfig config;

    /**
     * Creates an evaluator.
     *
     * @param model the shared model
     * @param lora the LoRA spec
     * @param encoder tokenizes examples
     * @param collator packs batches
     * @param config how much to evaluate
     */
    public ModelEvaluator(BaseModel model, LoraSpec lora, InstructionEncoder encoder, BatchCollator collator,
            EvalConfig config) {
        this.model = model;
        this.lora = lora;
        this.encoder = encoder;
        this.collator = collator;
        this.config = config;
    }

    /**
     * Evaluates one target.
     *
     * @param target which model
     * @param plan the layer split
     * @param adapter the global adapter LoRA
     * @param emulator the emulator LoRA
     * @param heldOut each client's held-out examples
     * @return the scores
     */
    public EvalScores evaluate(EvaluationTarget target, LayerPlan plan, NamedTensors adapter, NamedTensors emulator,
            List<List<InstructionExample>> heldOut) {
        return evaluate(target, plan, adapter, emulator, heldOut, StepObserver.NONE);
    }

    /**
     * Evaluates one target, reporting the work as {@link #units} counts it.
     *
     * @param target which model
     * @param plan the layer split
     * @param adapter the global adapter LoRA
     * @param emulator the emulator LoRA
     * @param heldOut each client's held-out examples
     * @param observer told after each client's scoring (its scored examples) and each generation (1)
     * @return the scores
     */
    public EvalScores evaluate(EvaluationTarget target, LayerPlan plan, NamedTensors adapter, NamedTensors emulator,
            List<List<InstructionExample>> heldOut, StepObserver observer) {
        List<Integer> stack = target.stack(plan);
        NamedTensors tensors = target.lora(adapter, emulator);
        EvalResult sum = new EvalResult(0, 0);
        int generated = 0;
        int matches = 0;
        for (List<InstructionExample> client : heldOut) {
            List<InstructionExample> scored = limit(client, config.maxExamples());
            if (!scored.isEmpty()) {
                List<Batch> batches = collator.collateAll(encoder.encodeAll(scored), config.batchSize());
                if (!batches.isEmpty()) {
                    sum = sum.plus(model.evaluate(stack, lora, tensors, batches));
                }
                observer.onSteps(scored.size());
            }
            if (config.generateExamples() > 0) {
                for (InstructionExample ex : client.subList(0, Math.min(client.size(), config.generateExamples()))) {
                    int[] out = model.generate(stack, lora, tensors, encoder.encodePrompt(ex),
                            GenerationConfig.greedy(config.maxNewTokens()));
                    String text = encoder.tokenizer().decode(out);
                    generated++;
                    observer.onSteps(1);
                    if (AnswerExtractor.exactMatch(text, ex.output())) {
                        matches++;
                    }
                }
            }
        }
        double em = generated == 0 ? Double.NaN : (double) matches / generated;
        return new EvalScores(sum.meanLoss(), sum.perplexity(), em, sum.tokens(), generated);
    }

    /**
     * Returns the work one {@link #evaluate} call reports: the examples it scores plus those it generates for.
     *
     * @param heldOut each client's held-out examples
     * @return the units
     */
    public long units(List<List<InstructionExample>> heldOut) {
        long units = 0;
        for (List<InstructionExample> client : heldOut) {
            units += limit(client, config.maxExamples()).size();
            units += config.generateExamples() > 0 ? Math.min(client.size(), config.generateExamples()) : 0;
        }
        return units;
    }

    private static List<InstructionExample> limit(List<InstructionExample> l, int max) {
        return max <= 0 || l.size() <= max ? l : l.subList(0, max);
    }
}
