/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.data.JsonMessages;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns what the JSON/YAML reader throws into a {@link ConfigException} in the user's words: the dotted key as
 * the file writes it ({@code data.clients}, {@code lora.targets[1]}), what was expected and what was found, and
 * the line and column. Reader class names, Java type names and source dumps never reach the message; a value is
 * quoted at most {@value JsonMessages#MAX_QUOTE} characters long.
 */
final class ConfigErrors {
    private ConfigErrors() {}

    /**
     * Translates a read failure.
     *
     * @param e the failure
     * @param yaml whether the text was YAML
     * @param source the configuration file's name, for messages, or null
     * @param parser the parser that failed, still open (where it stands names the key of a limit's failure)
     * @return the exception to throw
     */
    static ConfigException translate(JsonProcessingException e, boolean yaml, String source, JsonParser parser) {
        String key = e instanceof JsonMappingException m ? key(m) : "config";
        String at = at(e, source);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException own) {
                return rekeyed(own, key);
            }
            if (t instanceof FedbiotException other) {
                return new ConfigException(key, other.getMessage() + at, e);
            }
            if (t instanceof StreamConstraintsException limit) {
                // the JSON reader checks its limits before a value is bound: the key is where the reader stands
                String limited = parser == null ? key : StrictConfigParser.path(parser.getParsingContext());
                return new ConfigException(limited, "too large: " + JsonMessages.clean(limit.getOriginalMessage()) + at,
                        e);
            }
            if (t instanceof InputCoercionException range) {
                Class<?> type = range.getTargetType();
                String expected = type == Integer.class || type == int.class
                        ? "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : describe(type);
                return new ConfigException(key, found(range.getProcessor()) + " is out of range, expected "
                        + expected + at, e);
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ConfigException(key, "unknown key " + JsonMessages.quote(u.getPropertyName()) + at
                    + " (known keys here: " + known(u.getKnownPropertyIds()) + ")", e);
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(key, "bad value " + JsonMessages.quote(String.valueOf(f.getValue()))
                    + ", expected " + describe(f.getTargetType()) + at, e);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new ConfigException(key, "expected " + describe(m.getTargetType()) + ", found "
                    + found(m.getProcessor()) + at, e);
        }
        if (!(e instanceof JsonMappingException)) {
            return new ConfigException("config", "malformed " + (yaml ? "YAML" : "JSON") + at + ": " + syntax(e),
                    e);
        }
        return new ConfigException(key, "cannot be read: " + JsonMessages.describe(e) + at, e);
    }

    /**
     * Keeps a section's own check, but names the key the file used when an enum parser named another one
     * ({@code DatasetFormat.parse} says {@code data.format} also for {@code data.public_format}).
     */
    private static ConfigException rekeyed(ConfigException own, String key) {
        if (key.equals("config") || own.key().equals(key) || own.key().startsWith(key + ".")
                || own.key().startsWith(key + "[")) {
            return own;
        }
        String message = own.getMessage().startsWith(own.key() + ": ")
                ? own.getMessage().substring(own.key().length() + 2) : own.getMessage();
        return new ConfigException(key, message, own);
    }

    private static String key(JsonMappingException e) {
        String key = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
        return key.isEmpty() ? "config" : key;
    }

    private static String at(JsonProcessingException e, String source) {
        return at(e.getLocation(), source);
    }

    /**
     * Returns {@code " at line L, column C of FILE"}, or what of it is known.
     *
     * @param l the location, may be null
     * @param source the file, or null
     * @return the text, empty when nothing is known
     */
    static String at(JsonLocation l, String source) {
        String of = source == null ? "" : " of " + source;
        return l == null || l.getLineNr() < 1 ? (source == null ? "" : " in " + source)
                : " at line " + l.getLineNr() + ", column " + l.getColumnNr() + of;
    }

    /** The reader's own words for a syntax error: SnakeYAML's problem and context, or the JSON parser's. */
    private static String syntax(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                String context = m.getContext() == null ? "" : " (" + m.getContext().strip() + ")";
                return JsonMessages.clean(m.getProblem() + context);
            }
            if (t instanceof YAMLException y) {
                return JsonMessages.clean(y.getMessage());
            }
        }
        return JsonMessages.describe(e);
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }

    /** What the reader stood on when it failed, e.g. {@code a list} or {@code the text 'abc'}. */
    private static String found(Object processor) {
        if (!(processor instanceof JsonParser p) || p.currentToken() == null) {
            return "another kind of value";
        }
        JsonToken t = p.currentToken();
        try {
            return switch (t) {
                case START_ARRAY, END_ARRAY -> "a list";
                case START_OBJECT, END_OBJECT, FIELD_NAME -> "a section (mapping)";
                case VALUE_STRING -> "the text " + JsonMessages.quote(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + JsonMessages.quote(p.getText())
                        .replace("'", "");
                case VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> "nothing (null)";
                default -> "binary or tagged data";
            };
        } catch (java.io.IOException ex) {
            return "another kind of value";
        }
    }

    /**
     * Names a target type as a user reads it.
     *
     * @param type the Java type the key binds to
     * @return e.g. {@code an integer}, {@code one of iid, category, dirichlet}
     */
    static String describe(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text (quote it if it looks like a number or true/false)";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list of texts";
        }
        if (type.isRecord()) {
            return "a section (mapping of keys)";
        }
        return "another kind of value";
    }
}
