/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.engine.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns instruction examples into token ids with a {@link PromptTemplate} (the Alpaca prompt unless another is
 * given): the tokenizer's leading special tokens (BOS where its configuration adds one, as transformers'
 * {@code tokenizer(text)} does; none when the template writes its own), the prompt tokens, then the response's tokens and EOS, truncated to a maximal length from the end (as the reference
 * code's tokenizer does). An example whose response is cut away entirely would add nothing to the loss and
 * is dropped.
 */
public final class InstructionEncoder {
    private static final Logger logger = LoggerFactory.getLogger(InstructionEncoder.class);

    private final TextTokenizer tokenizer;
    private final int maxLength;
    private final PromptTemplate template;

    /**
     * Creates an encoder with the Alpaca prompt.
     *
     * @param tokenizer the model's tokenizer
     * @param maxLength the token budget per example, at least 2
     */
    public InstructionEncoder(TextTokenizer tokenizer, int maxLength) {
        this(tokenizer, maxLength, PromptTemplate.ALPACA);
    }

    /**
     * Creates an encoder.
     *
     * @param tokenizer the model's tokenizer
     * @param maxLength the token budget per example, at least 2
     * @param template how an example becomes a prompt
     */
    public InstructionEncoder(TextTokenizer tokenizer, int maxLength, PromptTemplate template) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max length must be >= 2 (found " + maxLength + ")");
        }
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.template = Objects.requireNonNull(template, "template");
    }

    /**
     * Encodes one example for training: prompt + response + EOS, truncated.
     *
     * @param example the example
     * @return the tokens, with {@code promptLength = maxLength} when nothing of the response is left
     */
    public TokenizedExample encode(InstructionExample example) {
        int[] prompt = withLeadingSpecialTokens(tokenizer.encode(template.render(example)));
        int[] response = tokenizer.encode(example.output());
        int[] all = new int[prompt.length + response.length + 1];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(response, 0, all, prompt.length, response.length);
        all[all.length - 1] = tokenizer.eosId();
        int n = Math.min(all.length, maxLength);
        return new TokenizedExample(Arrays.copyOf(all, n), Math.min(prompt.length, n));
    }

    /**
     * Encodes the prompt of an example for generation (leading special tokens, no response, no EOS); an
     * over-long prompt keeps its leading special tokens and its last tokens, so that it still ends with the
     * response marker.
     *
     * @param example the example
     * @return the prompt's token ids
     */
    public int[] encodePrompt(InstructionExample example) {
        int[] lead = leadingSpecialTokens();
        int[] text = tokenizer.encode(template.render(example));
        int keep = Math.min(text.length, Math.max(1, maxLength - lead.length));
        return withLeadingSpecialTokens(Arrays.copyOfRange(text, text.length - keep, text.length));
    }

    private int[] leadingSpecialTokens() {
        return template.includesSpecialTokens() ? new int[0] : tokenizer.leadingSpecialTokens();
    }

    private int[] withLeadingSpecialTokens(int[] ids) {
        int[] lead = leadingSpecialTokens();
        if (lead.length == 0) {
            return ids;
        }
        int[] out = new int[lead.length + ids.length];
        System.arraycopy(lead, 0, out, 0, lead.length);
        System.arraycopy(ids, 0, out, lead.length, ids.length);
        return out;
    }

    /**
     * Encodes examples for training, dropping those left without response tokens.
     *
     * @param examples the examples
     * @return the encoded examples with at least one trained token, in order
     */
    public List<TokenizedExample> encodeAll(List<InstructionExample> examples) {
        List<TokenizedExample> out = new ArrayList<>(examples.size());
        int dropped = 0;
        for (InstructionExample e : examples) {
            TokenizedExample t = encode(e);
            if (t.targetLength() > 0) {
                out.add(t);
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            logger.warn("{} of {} examples have no response token left within {} tokens and are skipped", dropped,
                    examples.size(), maxLength);
        }
        return out;
    }

    /** Returns the tokenizer. @return the tokenizer */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }
}
