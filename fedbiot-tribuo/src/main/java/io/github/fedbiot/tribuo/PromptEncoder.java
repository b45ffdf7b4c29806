/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.PromptTemplate;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns an example's text into prompt token ids and a label into response token ids exactly as fedbiot-core's
 * {@code InstructionEncoder} does for training, so that training, the Java model and the ONNX export agree.
 *
 * <p>Instruction: the instruction template with {@value #TEXT_PLACEHOLDER} replaced by the text. Prompt:
 * {@code encode(PromptTemplate.prompt(instruction))} (the Alpaca prompt, no BOS), keeping the <em>last</em>
 * {@code maxPromptTokens} tokens when it is longer. Response: {@code encode(label) + [EOS]}, so that a label
 * that is a prefix of another still has its own probability.
 */
public final class PromptEncoder {
    /** The placeholder of the instruction template that the text replaces. */
    public static final String TEXT_PLACEHOLDER = "{text}";

    private final TextTokenizer tokenizer;
    private final String instructionTemplate;
    private final int maxPromptTokens;

    /**
     * Creates an encoder.
     *
     * @param tokenizer the model's tokenizer
     * @param instructionTemplate the instruction template, containing {@value #TEXT_PLACEHOLDER}
     * @param maxPromptTokens the prompt width P, at least 2
     * @throws IllegalArgumentException for a template without the placeholder or a too small width
     */
    public PromptEncoder(TextTokenizer tokenizer, String instructionTemplate, int maxPromptTokens) {
        if (instructionTemplate == null || !instructionTemplate.contains(TEXT_PLACEHOLDER)) {
            throw new IllegalArgumentException("instruction template must contain " + TEXT_PLACEHOLDER + " (found '"
                    + instructionTemplate + "')");
        }
        if (maxPromptTokens < 2) {
            throw new IllegalArgumentException("maxPromptTokens must be >= 2 (found " + maxPromptTokens + ")");
        }
        this.tokenizer = tokenizer;
        this.instructionTemplate = instructionTemplate;
        this.maxPromptTokens = maxPromptTokens;
    }

    /** Returns the prompt width P. @return the maximal number of prompt tokens */
    public int maxPromptTokens() {
        return maxPromptTokens;
    }

    /**
     * Returns the whole prompt text around a text: the Alpaca prompt of the instruction, with
     * {@value #TEXT_PLACEHOLDER} where the text goes (stored in the ONNX metadata for other runtimes).
     *
     * @return the prompt template
     */
    public String promptTemplate() {
        return PromptTemplate.WITHOUT_INPUT.replace("%1$s", instructionTemplate);
    }

    /**
     * Returns the instruction example fedbiot-core trains on for a text and its label.
     *
     * @param text the text
     * @param label the label text (the response)
     * @param category the category used by category and Dirichlet partitions
     * @return the example
     */
    public InstructionExample instruction(String text, String label, String category) {
        return new InstructionExample(instructionTemplate.replace(TEXT_PLACEHOLDER, text), "", label, category);
    }

    /**
     * Returns the prompt token ids of a text.
     *
     * @param text the example's text
     * @return between 1 and P token ids
     * @throws IllegalArgumentException if the prompt has no tokens
     */
    public int[] prompt(String text) {
        int[] ids = tokenizer.encode(PromptTemplate.prompt(instruction(text, "", "")));
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt of '" + text + "' has no tokens");
        }
        return ids.length <= maxPromptTokens ? ids : Arrays.copyOfRange(ids, ids.length - maxPromptTokens,
                ids.length);
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
