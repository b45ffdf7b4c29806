/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.engine.ChatMessage;
import io.github.fedbiot.engine.ChatTemplate;
import java.util.List;
import java.util.Objects;

/**
 * The model's own chat format ({@code data.prompt_template: chat}): an example becomes one user turn (the
 * instruction, then a blank line and the input when there is one) followed by the assistant header, which is
 * what instruct models such as SmolLM2-Instruct were tuned to answer.
 *
 * @param chat the model's chat template
 */
public record ChatPromptTemplate(ChatTemplate chat) implements PromptTemplate {

    /** Requires the template. */
    public ChatPromptTemplate {
        Objects.requireNonNull(chat, "chat");
    }

    /** {@inheritDoc} */
    @Override
    public String render(InstructionExample example) {
        String content = example.input().isBlank() ? example.instruction()
                : example.instruction() + "\n\n" + example.input();
        return chat.render(List.of(ChatMessage.user(content)), true);
    }

    /** {@inheritDoc} */
    @Override
    public boolean includesSpecialTokens() {
        return true;
    }
}
