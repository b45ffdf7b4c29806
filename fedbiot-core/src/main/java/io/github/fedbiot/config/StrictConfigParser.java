/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.data.JsonMessages;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a configuration's tokens as they are read, before any value is bound, and refuses with a
 * {@link ConfigException} naming the dotted key: a key given twice in one mapping (at any depth: YAML and JSON
 * parsers would otherwise keep the last), a text value or key longer than the limit (SnakeYAML has no limit per
 * value, only per document), and a YAML alias ({@code *name}), which the YAML reader would otherwise hand over as
 * the text {@code name}.
 */
final class StrictConfigParser extends JsonParserDelegate {
    private final String source;
    private final int maxChars;
    private final Deque<Set<String>> keys = new ArrayDeque<>();

    /**
     * Wraps a parser.
     *
     * @param parser the JSON or YAML parser
     * @param source the configuration file's name, for messages, or null
     * @param maxChars the longest key or text value accepted
     */
    StrictConfigParser(JsonParser parser, String source, int maxChars) {
        super(parser);
        this.source = source;
        this.maxChars = maxChars;
    }

    /** {@inheritDoc} */
    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = delegate.nextToken();
        if (t == null) {
            return null;
        }
        switch (t) {
            case START_OBJECT -> keys.push(new HashSet<>());
            case END_OBJECT -> keys.pop();
            case FIELD_NAME -> {
                String name = delegate.currentName();
                checkLength(name, "key");
                if (!keys.isEmpty() && !keys.peek().add(name)) {
                    throw new ConfigException(key(), "key appears twice (again" + at() + ")");
                }
            }
            case VALUE_STRING -> {
                if (delegate instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw new ConfigException(key(), "YAML alias *" + y.getText() + at()
                            + " is not supported: write the value itself");
                }
                checkLength(delegate.getText(), "value");
            }
            default -> {
                // numbers, booleans, nulls and arrays need no check of their own
            }
        }
        return t;
    }

    /** Reads through {@link #nextToken()} so that no token escapes the checks. @return the next value token */
    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    /** Skips through {@link #nextToken()}, so that skipped content is checked too. @return this parser */
    @Override
    public JsonParser skipChildren() throws IOException {
        if (currentToken() != JsonToken.START_OBJECT && currentToken() != JsonToken.START_ARRAY) {
            return this;
        }
        int open = 1;
        while (open > 0) {
            JsonToken t = nextToken();
            if (t == null) {
                return this;
            }
            if (t.isStructStart()) {
                open++;
            } else if (t.isStructEnd()) {
                open--;
            }
        }
        return this;
    }

    private void checkLength(String text, String what) {
        if (text != null && text.length() > maxChars) {
            throw new ConfigException(key(), what + " of " + text.length() + " characters" + at()
                    + " is longer than the " + maxChars + " allowed (it starts " + JsonMessages.quote(
                    text.substring(0, JsonMessages.MAX_QUOTE)) + ")");
        }
    }

    private String at() {
        return ConfigErrors.at(delegate.currentTokenLocation(), source);
    }

    /** Returns the dotted key of the current token, e.g. {@code data.clients} or {@code lora.targets[1]}. */
    private String key() {
        return path(delegate.getParsingContext());
    }

    /**
     * Returns the dotted key a parsing context stands at.
     *
     * @param context the context
     * @return the key, or {@code config} at the top
     */
    static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            } else if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        String key = String.join(".", parts).replace(".[", "[");
        return key.isEmpty() ? "config" : key;
    }
}
