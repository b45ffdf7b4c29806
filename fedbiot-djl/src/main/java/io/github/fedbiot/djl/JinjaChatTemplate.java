/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.djl.internal.JinjaFunctions;
import io.github.fedbiot.engine.ChatMessage;
import io.github.fedbiot.engine.ChatTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Hugging Face chat template (Jinja) rendered with Jinjava, with the environment transformers gives it:
 * {@code trim_blocks} and {@code lstrip_blocks}, the variables {@code messages}, {@code add_generation_prompt},
 * {@code bos_token} and {@code eos_token}, and the function {@code raise_exception}.
 *
 * <p>{@link #find} reads the template of a model directory: {@code chat_template.jinja} when present (newer
 * transformers save it there), else the {@code chat_template} of {@code tokenizer_config.json} (a string, or the
 * {@code default} entry of a list of named templates).
 */
public final class JinjaChatTemplate implements ChatTemplate {
    /** The tokenizer configuration file that holds the template and the special tokens. */
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    /** The file newer transformers versions write the template to. */
    public static final String TEMPLATE_FILE = "chat_template.jinja";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinja;

    /**
     * Creates a template.
     *
     * @param template the Jinja source
     * @param bosToken the text of {@code bos_token}, or empty
     * @param eosToken the text of {@code eos_token}, or empty
     */
    public JinjaChatTemplate(String template, String bosToken, String eosToken) {
        this.template = Objects.requireNonNull(template, "template");
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                JinjaFunctions.class, "raiseException", String.class));
    }

    /**
     * Reads the chat template of a model directory.
     *
     * @param modelDir the directory holding {@code tokenizer_config.json} (and perhaps {@code chat_template.jinja})
     * @return the template, or empty when the model has none
     * @throws FedbiotException if a file is present but unreadable or malformed
     */
    public static Optional<JinjaChatTemplate> find(Path modelDir) {
        Path configFile = modelDir.resolve(TOKENIZER_CONFIG);
        Path templateFile = modelDir.resolve(TEMPLATE_FILE);
        try {
            JsonNode config = Files.isRegularFile(configFile) ? JSON.readTree(configFile.toFile())
                    : JSON.createObjectNode();
            String source = Files.isRegularFile(templateFile) ? Files.readString(templateFile)
                    : templateOf(config.path("chat_template"));
            if (source == null || source.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new JinjaChatTemplate(source, token(config.path("bos_token")),
                    token(config.path("eos_token"))));
        } catch (IOException e) {
            throw new FedbiotException("cannot read the chat template of " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** Returns a template string, or the {@code default} one of a list of named templates. */
    private static String templateOf(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        for (JsonNode named : node) {
            if ("default".equals(named.path("name").asText())) {
                return named.path("template").asText(null);
            }
        }
        return null;
    }

    /** Returns a special token's text: a string, or an added-token object's {@code content}. */
    private static String token(JsonNode node) {
        return node.isTextual() ? node.asText() : node.path("content").asText("");
    }

    /** Returns the Jinja source. @return the template */
    public String template() {
        return template;
    }

    /**
     * {@inheritDoc}
     *
     * @throws FedbiotException if the template fails (a syntax error, or its own {@code raise_exception})
     */
    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            turns.add(Map.of("role", m.role(), "content", m.content()));
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", turns);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result = jinja.renderForResult(template, context);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            throw new FedbiotException("the chat template failed: " + fatal.stream().map(TemplateError::getMessage)
                    .collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }
}
