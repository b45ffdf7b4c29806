/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.engine.ChatTemplate;
import io.github.fedbiot.engine.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplatesTest {
    private static final InstructionExample PLAIN = new InstructionExample("Add 2 and 3.", "", "5", "");
    private static final InstructionExample WITH_INPUT = new InstructionExample("Translate.", "Guten Tag",
            "Good day", "");

    /** A chat template in the ChatML layout SmolLM2 uses, written in Java (core has no Jinja). */
    private static final ChatTemplate CHATML = (messages, generation) -> messages.stream()
            .map(m -> "<|im_start|>" + m.role() + "\n" + m.content() + "<|im_end|>\n")
            .collect(Collectors.joining()) + (generation ? "<|im_start|>assistant\n" : "");

    /** The char tokenizer with a BOS (id 2) and, optionally, a chat template. */
    private static TextTokenizer tokenizer(ChatTemplate chat) {
        TextTokenizer chars = new CharTokenizer();
        return new TextTokenizer() {
            @Override
            public int[] encode(String text) {
                return chars.encode(text);
            }

            @Override
            public String decode(int[] ids) {
                return chars.decode(ids);
            }

            @Override
            public int eosId() {
                return chars.eosId();
            }

            @Override
            public int padId() {
                return chars.padId();
            }

            @Override
            public int vocabSize() {
                return chars.vocabSize();
            }

            @Override
            public int[] leadingSpecialTokens() {
                return new int[] {2};
            }

            @Override
            public Optional<ChatTemplate> chatTemplate() {
                return Optional.ofNullable(chat);
            }
        };
    }

    @Test
    void alpacaIsTheBuiltInPrompt() {
        PromptTemplate t = PromptTemplates.resolve("alpaca", tokenizer(null));
        assertThat(t.render(PLAIN)).isEqualTo(PromptTemplate.prompt(PLAIN));
        assertThat(t.render(WITH_INPUT)).isEqualTo(PromptTemplate.prompt(WITH_INPUT));
        assertThat(t.includesSpecialTokens()).isFalse();
    }

    @Test
    void textTemplateFillsItsPlaceholdersOnce() {
        PromptTemplate t = PromptTemplates.resolve("Q: {instruction} {input}\nA: ", tokenizer(null));
        assertThat(t.render(PLAIN)).isEqualTo("Q: Add 2 and 3. \nA: ");
        assertThat(t.render(WITH_INPUT)).isEqualTo("Q: Translate. Guten Tag\nA: ");
        assertThat(t.render(new InstructionExample("say {input}", "x", "y", ""))).isEqualTo("Q: say {input} x\nA: ");
    }

    @Test
    void templateFileIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.txt");
        Files.writeString(file, "### {instruction}\n");
        assertThat(PromptTemplates.resolve("file:" + file, tokenizer(null)).render(PLAIN))
                .isEqualTo("### Add 2 and 3.\n");
        Files.writeString(file, "no placeholder");
        assertThatThrownBy(() -> PromptTemplates.resolve("file:" + file, tokenizer(null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.prompt_template").hasMessageContaining("{instruction}");
        assertThatThrownBy(() -> PromptTemplates.resolve("file:" + dir.resolve("missing.txt"), tokenizer(null)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("data.prompt_template: cannot read");
    }

    @Test
    void chatUsesTheModelsTemplateAndItsOwnSpecialTokens() {
        PromptTemplate t = PromptTemplates.resolve("chat", tokenizer(CHATML));
        assertThat(t.render(WITH_INPUT))
                .isEqualTo("<|im_start|>user\nTranslate.\n\nGuten Tag<|im_end|>\n<|im_start|>assistant\n");
        assertThat(t.includesSpecialTokens()).isTrue();
        TextTokenizer tok = tokenizer(CHATML);
        InstructionEncoder chat = new InstructionEncoder(tok, 1000, t);
        // no BOS from the tokenizer: the chat template writes the whole prefix itself
        assertThat(chat.encode(PLAIN).promptTokens()).containsExactly(tok.encode(t.render(PLAIN)));
        assertThat(new InstructionEncoder(tok, 1000).encode(PLAIN).promptTokens()[0]).isEqualTo(2);
    }

    @Test
    void chatIsRefusedWithoutATemplate() {
        assertThatThrownBy(() -> PromptTemplates.resolve("chat", tokenizer(null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.prompt_template: 'chat' needs the model's chat template")
                .hasMessageContaining("no chat_template");
    }

    @Test
    void unknownNameIsRefused() {
        assertThatThrownBy(() -> PromptTemplates.resolve("llama2", tokenizer(null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.prompt_template: unknown template 'llama2'");
    }
}
