/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.PromptTemplate;
import io.github.fedbiot.data.PromptTemplates;
import io.github.fedbiot.engine.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat templates in the form SmolLM2-Instruct ships them, rendered without any download. */
class JinjaChatTemplateTest {
    /** The chat_template of HuggingFaceTB/SmolLM2-135M-Instruct's tokenizer_config.json (JSON escapes decoded). */
    static final String SMOLLM2 = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system'"
            + " %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
            + "<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
            + "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
            + "{% endif %}";

    private static final String SYSTEM = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, "
            + "trained by Hugging Face<|im_end|>\n";

    @Test
    void rendersSmolLm2Turns() {
        JinjaChatTemplate t = new JinjaChatTemplate(SMOLLM2, "<|im_start|>", "<|im_end|>");
        assertThat(t.render(List.of(ChatMessage.user("What is 2 + 3?")), true))
                .isEqualTo(SYSTEM + "<|im_start|>user\nWhat is 2 + 3?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(t.render(List.of(new ChatMessage("system", "Be brief."), ChatMessage.user("Hi")), false))
                .isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
    }

    @Test
    void chatPromptOfAnExampleIsOneUserTurnAndTheAssistantHeader() {
        PromptTemplate chat = new io.github.fedbiot.data.ChatPromptTemplate(
                new JinjaChatTemplate(SMOLLM2, "", ""));
        assertThat(chat.render(new InstructionExample("Translate.", "Guten Tag", "Good day", "")))
                .isEqualTo(SYSTEM + "<|im_start|>user\nTranslate.\n\nGuten Tag<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void tokenVariablesAndTrimmedBlocksFollowTransformers() {
        String llamaStyle = "{{ bos_token }}\n{% for m in messages %}\n[{{ m['role'] }}] {{ m['content'] }}"
                + "{{ eos_token }}\n{% endfor %}";
        JinjaChatTemplate t = new JinjaChatTemplate(llamaStyle, "<s>", "</s>");
        assertThat(t.render(List.of(ChatMessage.user("a"), new ChatMessage("assistant", "b")), false))
                .isEqualTo("<s>\n[user] a</s>\n[assistant] b</s>\n");
    }

    @Test
    void raiseExceptionFailsTheRendering() {
        JinjaChatTemplate t = new JinjaChatTemplate("{% if messages[0]['role'] != 'user' %}"
                + "{{ raise_exception('Conversation must start with a user turn') }}{% endif %}ok", "", "");
        assertThat(t.render(List.of(ChatMessage.user("x")), true)).isEqualTo("ok");
        assertThatThrownBy(() -> t.render(List.of(new ChatMessage("assistant", "x")), true))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("the chat template failed");
    }

    @Test
    void tokenizerOfAModelDirectoryCarriesItsChatTemplate(@TempDir Path dir) throws Exception {
        Files.copy(TinyModels.tokenizerJson(), dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        try (DjlTokenizer plain = DjlTokenizer.load(dir.resolve("tokenizer.json"), -1)) {
            assertThat(plain.chatTemplate()).isEmpty();
            assertThatThrownBy(() -> PromptTemplates.resolve("chat", plain))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("data.prompt_template: 'chat' needs the model's chat template");
        }
        Files.writeString(dir.resolve(JinjaChatTemplate.TOKENIZER_CONFIG), new com.fasterxml.jackson.databind
                .ObjectMapper().writeValueAsString(Map.of("chat_template", SMOLLM2,
                        "eos_token", Map.of("content", "<|im_end|>"), "bos_token", "<|im_start|>")));
        try (DjlTokenizer tok = DjlTokenizer.load(dir.resolve("tokenizer.json"), -1)) {
            PromptTemplate chat = PromptTemplates.resolve("chat", tok);
            assertThat(chat.render(new InstructionExample("Hi", "", "Hello", "")))
                    .isEqualTo(SYSTEM + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
            assertThat(chat.includesSpecialTokens()).isTrue();
        }
        Files.writeString(dir.resolve(JinjaChatTemplate.TEMPLATE_FILE), "{{ eos_token }}{{ bos_token }}");
        assertThat(JinjaChatTemplate.find(dir).orElseThrow().render(List.of(), false))
                .isEqualTo("<|im_end|><|im_start|>");
    }
}
