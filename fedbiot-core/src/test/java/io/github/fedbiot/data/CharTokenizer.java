/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.engine.TextTokenizer;

/** A real (if simple) tokenizer for engine-free tests: one token per UTF-16 char, ids 3.., 1 = EOS, 0 = pad. */
final class CharTokenizer implements TextTokenizer {
    @Override
    public int[] encode(String text) {
        return text.chars().map(c -> c + 3).toArray();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id >= 3) {
                sb.append((char) (id - 3));
            }
        }
        return sb.toString();
    }

    @Override
    public int eosId() {
        return 1;
    }

    @Override
    public int padId() {
        return 0;
    }

    @Override
    public int vocabSize() {
        return 65539;
    }
}
