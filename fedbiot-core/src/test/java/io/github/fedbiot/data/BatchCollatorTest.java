/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.engine.Batch;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCollatorTest {
    private final CharTokenizer tok = new CharTokenizer();

    @Test
    void labelsCoverResponseAndEosOnly() {
        InstructionExample ex = new InstructionExample("Hi", "", "ok", "");
        TokenizedExample t = new InstructionEncoder(tok, 1000).encode(ex);
        int promptLen = PromptTemplate.prompt(ex).length();
        assertThat(t.promptLength()).isEqualTo(promptLen);
        assertThat(t.tokens()).hasSize(promptLen + 3);
        assertThat(t.tokens()[t.tokens().length - 1]).isEqualTo(tok.eosId());
        assertThat(tok.decode(t.promptTokens())).isEqualTo(PromptTemplate.prompt(ex));
    }

    @Test
    void rightPadsAndMasks() {
        InstructionEncoder enc = new InstructionEncoder(tok, 1000);
        TokenizedExample a = enc.encode(new InstructionExample("A", "", "xyz", ""));
        TokenizedExample b = enc.encode(new InstructionExample("A", "", "x", ""));
        Batch batch = new BatchCollator(tok.padId()).collate(List.of(a, b));
        int T = a.tokens().length;
        assertThat(batch.batchSize()).isEqualTo(2);
        assertThat(batch.seqLen()).isEqualTo(T);
        assertThat(batch.samples()).isEqualTo(2);
        int p = a.promptLength();
        for (int t = 0; t < p; t++) {
            assertThat(batch.labels()[t]).isEqualTo(Batch.IGNORE);
        }
        assertThat(batch.labels()[p]).isEqualTo('x' + 3);
        assertThat(batch.labels()[T - 1]).isEqualTo(tok.eosId());
        // row b is two tokens shorter: padded with pad id, ignored
        assertThat(batch.tokens()[T + T - 1]).isEqualTo(tok.padId());
        assertThat(batch.labels()[T + T - 1]).isEqualTo(Batch.IGNORE);
        assertThat(batch.labels()[T + T - 3]).isEqualTo(tok.eosId());
        assertThat(batch.targetCount()).isEqualTo(4 + 2);
    }

    @Test
    void truncatesFromTheEndAndDropsExamplesWithoutResponse() {
        InstructionExample ex = new InstructionExample("Hi", "", "a long answer", "");
        int promptLen = PromptTemplate.prompt(ex).length();
        InstructionEncoder enc = new InstructionEncoder(tok, promptLen + 2);
        TokenizedExample t = enc.encode(ex);
        assertThat(t.tokens()).hasSize(promptLen + 2);
        assertThat(t.targetLength()).isEqualTo(2);
        InstructionEncoder tight = new InstructionEncoder(tok, promptLen - 5);
        assertThat(tight.encodeAll(List.of(ex))).isEmpty();
        assertThat(tight.encodePrompt(ex)).hasSize(promptLen - 5);
        assertThat(tok.decode(tight.encodePrompt(ex))).endsWith("### Response:\n");
    }

    @Test
    void collateAllKeepsOrderAndRemainder() {
        InstructionEncoder enc = new InstructionEncoder(tok, 1000);
        List<TokenizedExample> ex = enc.encodeAll(List.of(new InstructionExample("1", "", "a", ""),
                new InstructionExample("2", "", "b", ""), new InstructionExample("3", "", "c", "")));
        List<Batch> batches = new BatchCollator(0).collateAll(ex, 2);
        assertThat(batches).extracting(Batch::samples).containsExactly(2, 1);
    }

    @Test
    void streamIsSeededAndResumable() {
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6);
        ExampleStream<Integer> s = new ExampleStream<>(items, 4);
        List<Integer> first = s.next(10);
        assertThat(first.subList(0, 7)).containsExactlyInAnyOrderElementsOf(items);
        List<Integer> rest = s.next(9);
        ExampleStream<Integer> resumed = new ExampleStream<>(items, 4);
        resumed.seek(10);
        assertThat(resumed.next(9)).isEqualTo(rest);
        assertThat(new ExampleStream<>(items, 5).next(10)).isNotEqualTo(first);
    }
}
