/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

import java.util.List;

/**
 * A model's own conversation format, the {@code chat_template} of its {@code tokenizer_config.json}, as
 * transformers' {@code tokenizer.apply_chat_template(messages, tokenize=False)} renders it. Engines provide it
 * through {@link TextTokenizer#chatTemplate()}, so the template language (Jinja) stays out of core.
 */
public interface ChatTemplate {

    /**
     * Renders a conversation as text, special tokens included.
     *
     * @param messages the turns, in order
     * @param addGenerationPrompt whether to end with the header of an assistant turn, so that the model answers
     * @return the text the model reads
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);
}
