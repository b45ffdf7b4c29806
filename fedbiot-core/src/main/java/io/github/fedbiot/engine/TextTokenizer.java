/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import java.util.Optional;

/** Turns text into token ids and back; engines provide one for each model they load. */
public interface TextTokenizer {

    /**
     * Encodes text without adding special tokens.
     *
     * @param text the text
     * @return the token ids
     */
    int[] encode(String text);

    /**
     * Returns the special tokens the tokenizer's own configuration puts before a sequence, as transformers'
     * {@code tokenizer(text)} adds them (e.g. BOS for a LLaMA tokenizer whose {@code tokenizer.json}
     * post-processor is {@code "<s> $A"}); the encoders put them once at the start of every example.
     *
     * @return the ids, empty when the tokenizer adds none
     */
    default int[] leadingSpecialTokens() {
        return new int[0];
    }

    /**
     * Decodes token ids, skipping special tokens.
     *
     * @param ids the token ids
     * @return the text
     */
    String decode(int[] ids);

    /** Returns the end-of-sequence token id. @return the id */
    int eosId();

    /** Returns the padding token id (the EOS id when the tokenizer has no pad token). @return the id */
    int padId();

    /** Returns the size of the vocabulary. @return the count */
    int vocabSize();

    /**
     * Returns the model's chat template, when its tokenizer configuration has one.
     *
     * @return the template, or empty (the default: a tokenizer without a {@code chat_template})
     */
    default Optional<ChatTemplate> chatTemplate() {
        return Optional.empty();
    }
}
