/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.engine.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The values of {@code data.prompt_template} and the {@link PromptTemplate} each stands for:
 * <ul>
 *   <li>{@code alpaca} (the default): {@link PromptTemplate#ALPACA};
 *   <li>{@code chat}: the model's {@code chat_template} ({@link ChatPromptTemplate}), refused when the model's
 *       tokenizer has none;
 *   <li>a text containing {@code {instruction}}: a {@link TextPromptTemplate};
 *   <li>{@code file:<path>}: a {@link TextPromptTemplate} read from a UTF-8 file (a relative path is resolved
 *       against the configuration file's directory).
 * </ul>
 */
public final class PromptTemplates {
    /** The configuration key. */
    public static final String KEY = "data.prompt_template";
    /** The Alpaca prompt's name. */
    public static final String ALPACA = "alpaca";
    /** The name of the model's own chat template. */
    public static final String CHAT = "chat";
    /** The prefix of a template file. */
    public static final String FILE_PREFIX = "file:";

    private PromptTemplates() {}

    /**
     * Checks the form of a setting without reading files or the model.
     *
     * @param setting the value of {@code data.prompt_template}
     * @throws ConfigException naming {@code data.prompt_template} when the value is none of the accepted forms
     */
    public static void checkSetting(String setting) {
        if (setting.equals(ALPACA) || setting.equals(CHAT) || setting.contains(TextPromptTemplate.INSTRUCTION)) {
            return;
        }
        if (setting.startsWith(FILE_PREFIX)) {
            ConfigException.require(setting.length() > FILE_PREFIX.length(), KEY, setting, "must name a file");
            return;
        }
        throw new ConfigException(KEY, "unknown template " + JsonMessages.quote(setting) + " (expected " + ALPACA + ", " + CHAT
                + ", a template text containing " + TextPromptTemplate.INSTRUCTION + ", or " + FILE_PREFIX
                + "<path>)");
    }

    /**
     * Returns the template a setting stands for.
     *
     * @param setting the value of {@code data.prompt_template} (file paths resolved)
     * @param tokenizer the model's tokenizer, asked for its chat template by {@code chat}
     * @return the template
     * @throws ConfigException naming {@code data.prompt_template} for an unknown value, {@code chat} on a model
     *     without a chat template, or a template file that is missing or lacks {@code {instruction}}
     */
    public static PromptTemplate resolve(String setting, TextTokenizer tokenizer) {
        checkSetting(setting);
        if (setting.equals(ALPACA)) {
            return PromptTemplate.ALPACA;
        }
        if (setting.equals(CHAT)) {
            return tokenizer.chatTemplate().map(ChatPromptTemplate::new).orElseThrow(() -> new ConfigException(KEY,
                    "'chat' needs the model's chat template, but its tokenizer_config.json has no chat_template "
                            + "(use " + ALPACA + " or a template text)"));
        }
        if (setting.startsWith(FILE_PREFIX)) {
            Path file = Path.of(setting.substring(FILE_PREFIX.length()));
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new ConfigException(KEY, "cannot read template file " + file + ": " + e.getMessage(), e);
            }
            ConfigException.require(text.contains(TextPromptTemplate.INSTRUCTION), KEY, setting,
                    "the template file must contain " + TextPromptTemplate.INSTRUCTION);
            return new TextPromptTemplate(text);
        }
        return new TextPromptTemplate(setting);
    }
}
