/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.data.InstructionEncoder;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.PromptTemplate;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.djl.DjlTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BOS as transformers adds it: on a tokenizer whose {@code tokenizer.json} post-processor prepends {@code <s>}
 * (LLaMA-style) the ids equal transformers' {@code tokenizer(text)}, BOS included, and every encoded example
 * starts with BOS once; on one where only {@code tokenizer_config.json} says {@code add_bos_token: true},
 * transformers 5 (pinned) adds none, and neither does the engine. Expected ids:
 * {@code python/make_hf_fixtures.py} ({@code tokenizer-bos/}, {@code tokenizer-config-bos/}).
 */
class TokenizerBosParityIT {

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tokenizer-bos", "tokenizer-config-bos"})
    void idsEqualTransformersTokenizerCall(String fixture) {
        Path dir = HfFixtures.root().resolve(fixture);
        JsonNode expected = HfFixtures.json(dir.resolve("expected.json"));
        int bos = expected.get("bos_id").asInt();
        boolean addsBos = expected.get("adds_bos").asBoolean();
        assertEquals(fixture.equals("tokenizer-bos"), addsBos, "the fixture's own claim");
        try (DjlTokenizer tok = DjlTokenizer.load(dir.resolve("tokenizer.json"), -1)) {
            assertArrayEquals(addsBos ? new int[] {bos} : new int[0], tok.leadingSpecialTokens(), "leading tokens");
            assertTrue(expected.get("cases").size() >= 3, "cases");
            for (JsonNode c : expected.get("cases")) {
                String text = c.get("text").asText();
                int[] ids = ints(c.get("ids"));
                assertArrayEquals(ids, tok.encodeWithSpecialTokens(text), "tokenizer(" + text + ")");
                assertArrayEquals(ints(c.get("plain_ids")), tok.encode(text), "without special tokens: " + text);
                int[] lead = tok.leadingSpecialTokens();
                int[] joined = Arrays.copyOf(lead, lead.length + tok.encode(text).length);
                System.arraycopy(tok.encode(text), 0, joined, lead.length, tok.encode(text).length);
                assertArrayEquals(ids, joined, "leading tokens + text = tokenizer(" + text + ")");
            }

            InstructionExample ex = new InstructionExample("What is 12 plus 30?", "", "42", "");
            InstructionEncoder encoder = new InstructionEncoder(tok, 512);
            TokenizedExample t = encoder.encode(ex);
            int[] prompt = tok.encode(PromptTemplate.prompt(ex));
            int offset = addsBos ? 1 : 0;
            assertEquals(prompt.length + offset, t.promptLength(), "prompt length counts BOS");
            if (addsBos) {
                assertEquals(bos, t.tokens()[0], "BOS first");
                assertEquals(bos, encoder.encodePrompt(ex)[0], "generation prompt starts with BOS");
            }
            assertEquals(offset, Arrays.stream(t.tokens()).filter(i -> i == bos).count(), "BOS once, at the start");
            assertArrayEquals(prompt, Arrays.copyOfRange(t.tokens(), offset, offset + prompt.length), "prompt");
            assertEquals(tok.eosId(), t.tokens()[t.tokens().length - 1], "EOS last");
        }
    }
}
