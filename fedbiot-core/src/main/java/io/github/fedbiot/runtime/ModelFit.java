/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.ModelSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before anything is allocated, that a run's configuration fits its model and this machine: every
 * sequence fits the model's context ({@code data.max_length}; a warning where the longest prompt plus
 * {@code eval.max_new_tokens} does not, as generation then stops at the context), and one step's batch fits in
 * memory. A batch that does not fit would otherwise fail deep inside the
 * engine, far from the key that caused it (an integer overflow, an OutOfMemoryError, a native allocation error).
 *
 * <p>The memory figure is a deliberately generous estimate of one step's float32 activations, so that only a
 * batch that cannot possibly run is refused: per token and decoder layer {@code 8 d + 4 intermediate +
 * 2 heads L} floats (inputs of the norms and projections, q/k/v, attention scores and probabilities, the MLP's
 * four intermediates), every layer kept for the backward pass in training and alignment and two layers live in
 * evaluation, plus {@code 3 V} floats for the logits, their softmax and gradient. It is compared with the
 * machine's physical memory (the native budget PyTorch allocates from); the batch's token ids and labels
 * ({@code 8} bytes per token) with the Java heap. A GPU's own memory is not checked.
 */
final class ModelFit {
    private static final Logger logger = LoggerFactory.getLogger(ModelFit.class);
    private static final double BYTES_PER_FLOAT = 4;
    /** Token ids and labels of a collated batch, as Java ints. */
    private static final double HEAP_BYTES_PER_TOKEN = 8;
    /** The most elements a Java array holds (a few below Integer.MAX_VALUE on HotSpot). */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final long heapBytes;
    private final long memoryBytes;

    /**
     * Creates a check against given budgets.
     *
     * @param heapBytes the Java heap a run may use
     * @param memoryBytes the memory native tensors may use (0: unknown, not checked)
     */
    ModelFit(long heapBytes, long memoryBytes) {
        this.heapBytes = heapBytes;
        this.memoryBytes = memoryBytes;
    }

    /**
     * Returns the check against this JVM's maximal heap and this machine's physical memory.
     *
     * @return the check
     */
    static ModelFit ofThisMachine() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        return new ModelFit(Runtime.getRuntime().maxMemory(), memory);
    }

    /**
     * Checks a configuration against a model.
     *
     * @param config the run's configuration
     * @param spec the model's shape
     * @throws ConfigException naming the key (and the model key it meets) of the first thing that does not fit
     */
    void check(FedbiotConfig config, ModelSpec spec) {
        int length = config.data().maxLength();
        if (length > spec.maxPositions()) {
            throw new ConfigException("data.max_length", length + " exceeds the model's context "
                    + contextKey(spec) + " = " + spec.maxPositions() + "; lower data.max_length to at most "
                    + spec.maxPositions());
        }
        int generate = config.eval().maxNewTokens();
        if (config.eval().generateExamples() > 0 && (long) length + generate > spec.maxPositions()) {
            // not refused: the engine cuts the budget to the context, so only long prompts generate less
            logger.warn("eval.max_new_tokens = {} after a prompt of up to data.max_length = {} tokens exceeds the "
                    + "model's context {} = {}: generation stops at the context, with fewer new tokens for long "
                    + "prompts", generate, length, contextKey(spec), spec.maxPositions());
        }
        batch("client.batch_size", config.client().batchSize(), length, spec, true);
        batch("server.batch_size", config.server().batchSize(), length, spec, true);
        int evalBatch = config.eval().maxExamples() > 0
                ? Math.min(config.eval().batchSize(), config.eval().maxExamples()) : config.eval().batchSize();
        batch("eval.batch_size", evalBatch, length, spec, false);
    }

    private void batch(String key, int batchSize, int length, ModelSpec spec, boolean backward) {
        long tokens = (long) batchSize * length;
        if (tokens > MAX_ARRAY) {
            throw new ConfigException(key, String.format(Locale.ROOT, "%d examples of data.max_length = %d tokens "
                    + "make %,d tokens in one batch, more than a batch holds (%,d); lower %s", batchSize, length,
                    tokens, MAX_ARRAY, key));
        }
        double heap = tokens * HEAP_BYTES_PER_TOKEN;
        if (heap > heapBytes) {
            throw new ConfigException(key, batchSize + " examples of data.max_length = " + length + " tokens need "
                    + bytes(heap) + " of Java heap for one batch, more than the " + bytes(heapBytes)
                    + " this JVM may use (-Xmx); lower " + key + hint(key));
        }
        double perLayer = 8.0 * spec.hiddenSize() + 4.0 * spec.intermediateSize() + 2.0 * spec.numHeads() * length;
        double perToken = (backward ? spec.numLayers() : 2) * perLayer + 3.0 * spec.vocabSize();
        double activations = tokens * perToken * BYTES_PER_FLOAT;
        if (memoryBytes > 0 && activations > memoryBytes) {
            throw new ConfigException(key, batchSize + " examples of data.max_length = " + length + " tokens need "
                    + "about " + bytes(activations) + " of activations per step on this model, more than this "
                    + "machine's " + bytes(memoryBytes) + " of memory; lower " + key + hint(key));
        }
    }

    /** Training keys keep their effective batch when grad_accum grows; evaluation has no such key. */
    private static String hint(String key) {
        return key.startsWith("eval.") ? "" : " (raising " + key.replace("batch_size", "grad_accum")
                + " keeps the examples per step)";
    }

    private static String contextKey(ModelSpec spec) {
        return spec.architecture() == Architecture.GPT2 ? "n_positions"
                : "max_position_embeddings";
    }

    private static String bytes(double b) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", b, units[u]);
    }
}
