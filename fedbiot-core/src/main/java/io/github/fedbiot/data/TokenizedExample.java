/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

/**
 * An example as token ids: the prompt's tokens followed by the response's tokens and EOS. Only the positions
 * from {@code promptLength} on are trained on.
 *
 * @param tokens the token ids (prompt, response, EOS), already truncated
 * @param promptLength how many leading tokens belong to the prompt
 */
public record TokenizedExample(int[] tokens, int promptLength) {

    /** Validates the lengths. */
    public TokenizedExample {
        if (tokens.length == 0 || promptLength < 0 || promptLength > tokens.length) {
            throw new IllegalArgumentException("prompt length " + promptLength + " must be within the "
                    + tokens.length + " tokens");
        }
    }

    /** Returns the number of trained (response) tokens. @return the count */
    public int targetLength() {
        return tokens.length - promptLength;
    }

    /** Returns the prompt's tokens. @return a copy of the first {@code promptLength} ids */
    public int[] promptTokens() {
        return java.util.Arrays.copyOf(tokens, promptLength);
    }
}
