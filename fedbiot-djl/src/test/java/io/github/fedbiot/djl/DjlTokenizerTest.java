/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The tokenizer.json binding on a hand-written WordLevel tokenizer. */
class DjlTokenizerTest {
    @Test
    void encodesDecodesAndFindsSpecialTokens() {
        try (DjlTokenizer tk = DjlTokenizer.load(TinyModels.tokenizerJson(), -1)) {
            int[] ids = tk.encode("The cat sat on the MAT . zebra");
            assertThat(ids).containsExactly(4, 6, 8, 9, 4, 10, 23, 0);
            assertThat(tk.decode(new int[] {1, 4, 6, 8, 2})).isEqualTo("the cat sat");
            assertThat(tk.eosId()).isEqualTo(2);
            assertThat(tk.padId()).isEqualTo(3);
            assertThat(tk.vocabSize()).isEqualTo(37);
        }
        try (DjlTokenizer tk = DjlTokenizer.load(TinyModels.tokenizerJson(), 5)) {
            assertThat(tk.eosId()).isEqualTo(5);
        }
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> DjlTokenizer.load(Path.of("no/such/tokenizer.json"), -1))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("missing tokenizer file");
    }
}
