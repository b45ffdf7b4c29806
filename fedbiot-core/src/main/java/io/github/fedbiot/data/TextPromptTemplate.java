/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import java.util.Objects;

/**
 * A user's prompt text with placeholders: {@code {instruction}} (required) and {@code {input}} (the example's
 * input, empty when it has none); everything else is copied as written. A short one (e.g.
 * {@code "Q: {instruction}\nA: "}) lets models with a small context window train where the Alpaca prompt
 * alone would fill it.
 *
 * @param text the template
 */
public record TextPromptTemplate(String text) implements PromptTemplate {
    /** The placeholder of the instruction. */
    public static final String INSTRUCTION = "{instruction}";
    /** The placeholder of the input. */
    public static final String INPUT = "{input}";

    /** Requires the instruction placeholder. */
    public TextPromptTemplate {
        Objects.requireNonNull(text, "text");
        if (!text.contains(INSTRUCTION)) {
            throw new IllegalArgumentException("a prompt template needs " + INSTRUCTION + " (found '" + text + "')");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String render(InstructionExample example) {
        // one pass, so that an instruction containing "{input}" is not substituted again
        StringBuilder out = new StringBuilder(text.length() + example.instruction().length()
                + example.input().length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(INSTRUCTION, i)) {
                out.append(example.instruction());
                i += INSTRUCTION.length();
            } else if (text.startsWith(INPUT, i)) {
                out.append(example.input());
                i += INPUT.length();
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }
}
