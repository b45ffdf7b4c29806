/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns an example's text into prompt token ids and a label into its response token ids, the one place where
 * training, the Java model and the ONNX export agree on the token layout.
 *
 * <p>Prompt: {@code [BOS] + encode(template with {text} replaced)}, keeping BOS and the <em>last</em>
 * {@code maxPromptTokens - 1} tokens when it is longer (the end of the template, next to the response, is
 * what matters most). Response: {@code encode(label) + [EOS]}, so that a label that is a prefix of another
 * still has its own probability.
 */
public final class PromptEncoder {
    /** The placeholder of the template that the text replaces. */
    public static final String TEXT_PLACEHOLDER = "{text}";

    private final TextTokenizer tokenizer;
    private final String template;
    private final int maxPromptTokens;
    private final int bosId;

    /**
     * Creates an encoder.
     *
     * @param tokenizer the model's tokenizer
     * @param template the prompt template, containing {@value #TEXT_PLACEHOLDER}
     * @param maxPromptTokens the prompt width P, at least 2
     * @param bosId the BOS token id, or -1 for none
     * @throws IllegalArgumentException for a template without the placeholder or a too small width
     */
    public PromptEncoder(TextTokenizer tokenizer, String template, int maxPromptTokens, int bosId) {
        if (template == null || !template.contains(TEXT_PLACEHOLDER)) {
            throw new IllegalArgumentException("prompt template must contain " + TEXT_PLACEHOLDER + " (found '"
                    + template + "')");
        }
        if (maxPromptTokens < 2) {
            throw new IllegalArgumentException("maxPromptTokens must be >= 2 (found " + maxPromptTokens + ")");
        }
        this.tokenizer = tokenizer;
        this.template = template;
        this.maxPromptTokens = maxPromptTokens;
        this.bosId = bosId;
    }

    /** Returns the prompt width P. @return the maximal number of prompt tokens */
    public int maxPromptTokens() {
        return maxPromptTokens;
    }

    /**
     * Returns the prompt token ids of a text.
     *
     * @param text the example's text
     * @return between 1 and P token ids
     */
    public int[] prompt(String text) {
        int[] body = tokenizer.encode(template.replace(TEXT_PLACEHOLDER, text));
        int head = bosId >= 0 ? 1 : 0;
        int keep = Math.min(body.length, maxPromptTokens - head);
        int[] out = new int[head + keep];
        if (head == 1) {
            out[0] = bosId;
        }
        System.arraycopy(body, body.length - keep, out, head, keep);
        if (out.length == 0) {
            throw new IllegalArgumentException("the prompt of '" + text + "' has no tokens");
        }
        return out;
    }

    /**
     * Returns the response token ids of a label.
     *
     * @param label the label text
     * @return the label's tokens followed by EOS
     * @throws IllegalArgumentException if the label has no tokens
     */
    public int[] response(String label) {
        int[] ids = tokenizer.encode(label);
        if (ids.length == 0) {
            throw new IllegalArgumentException("label '" + label + "' has no tokens");
        }
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = tokenizer.eosId();
        return out;
    }

    /**
     * Builds a right-padded batch of {@code prompt + response} sequences whose labels are the response tokens.
     *
     * @param prompts prompt token ids, one per row
     * @param responses response token ids, one per row
     * @return the batch (samples = rows)
     */
    public Batch batch(List<int[]> prompts, List<int[]> responses) {
        if (prompts.size() != responses.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need as many prompts as responses, at least one (found "
                    + prompts.size() + " and " + responses.size() + ")");
        }
        int rows = prompts.size();
        int len = 0;
        for (int i = 0; i < rows; i++) {
            len = Math.max(len, prompts.get(i).length + responses.get(i).length);
        }
        int[] tokens = new int[rows * len];
        int[] labels = new int[rows * len];
        Arrays.fill(tokens, tokenizer.padId());
        Arrays.fill(labels, Batch.IGNORE);
        for (int i = 0; i < rows; i++) {
            int[] p = prompts.get(i);
            int[] r = responses.get(i);
            System.arraycopy(p, 0, tokens, i * len, p.length);
            System.arraycopy(r, 0, tokens, i * len + p.length, r.length);
            System.arraycopy(r, 0, labels, i * len + p.length, r.length);
        }
        return new Batch(rows, len, tokens, labels, rows);
    }
}
