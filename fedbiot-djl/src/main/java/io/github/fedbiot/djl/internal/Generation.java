/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoding with a {@link KvCache}: the prompt runs once, then one token per step against the cached keys and
 * values. The prompt plus new tokens never exceed the model's context length (the token budget is cut to fit).
 */
public final class Generation {
    private final DecoderStack stack;
    private final RequestChecks checks;
    private final int eosId;

    /**
     * Creates generation over a model's forward pass.
     *
     * @param stack the forward pass
     * @param checks the model's argument checks
     * @param eosId the token that ends a sequence (the tokenizer's, else config.json's)
     */
    public Generation(DecoderStack stack, RequestChecks checks, int eosId) {
        this.stack = stack;
        this.checks = checks;
        this.eosId = eosId;
    }

    /**
     * Generates a continuation.
     *
     * @param layers the decoder layers to run
     * @param lora the LoRA settings
     * @param loraTensors the LoRA tensors to apply
     * @param prompt the prompt's token ids (not empty)
     * @param config decoding settings
     * @return the new token ids
     */
    public int[] generate(List<Integer> layers, LoraSpec lora, NamedTensors loraTensors, int[] prompt,
            GenerationConfig config) {
        LoraSpec ls = checks.lora(lora);
        checks.stack(layers);
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        checks.tokens(prompt, 1, prompt.length);
        ModelSpec spec = stack.weights().spec();
        int budget = Math.min(config.maxNewTokens(), spec.maxPositions() - prompt.length);
        if (budget <= 0) {
            return new int[0];
        }
        List<Integer> out = new ArrayList<>();
        TokenSampler sampler = new TokenSampler(config);
        try (NDManager m = stack.weights().manager().newSubManager(); NDScope scope = new NDScope()) {
            LoraSet set = LoraSet.build(m, spec, ls, loraTensors, NamedTensors.empty(), 0);
            KvCache cache = new KvCache(layers.size());
            int[] input = prompt;
            while (true) {
                int t = input.length;
                float[] logits;
                try (NDScope stepScope = new NDScope()) {
                    ForwardContext ctx = stack.context(m, 1, t, cache.length(), false);
                    NDArray h = stack.run(stack.embed(m, input, ctx), layers, set, ctx, cache);
                    logits = stack.logits(h.get(new NDIndex(":, " + (t - 1) + ", :"))).toFloatArray();
                    cache.arrays().forEach(NDScope::unregister); // the call's manager owns them
                }
                cache.advance(t);
                int next = sampler.next(logits);
                out.add(next);
                if ((config.stopAtEos() && next == eosId) || out.size() >= budget) {
                    break;
                }
                input = new int[] {next};
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
