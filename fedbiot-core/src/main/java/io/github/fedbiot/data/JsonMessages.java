/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a JSON or YAML parse failure into one line a user can act on: the parser's own description without its
 * source dump, class names or feature names, and values quoted at most {@value #MAX_QUOTE} characters long, so
 * that a huge or binary value never floods the terminal.
 */
public final class JsonMessages {
    /** The longest excerpt of a user's value a message quotes. */
    public static final int MAX_QUOTE = 60;

    private static final int MAX_MESSAGE = 200;
    private static final Pattern START_MARKER = Pattern.compile(
            "\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)]\\)");
    private static final Pattern SOURCE = Pattern.compile("\\s*(at )?\\[Source: [^]]*]");
    private static final Pattern FROM_FEATURE = Pattern.compile(", from `[^`]*`");
    private static final Pattern BACKTICKED = Pattern.compile("`[^`]*`");
    private static final Pattern YAML_EVENT = Pattern.compile(
            "Expected a field name \\(Scalar value in YAML\\), got this instead: <org\\.yaml\\.snakeyaml\\.events\\."
            + "(\\w+?)Event.*>");

    private JsonMessages() {}

    /**
     * Returns the parser's description of a failure, cleaned for users (no location: see {@link #where}).
     *
     * @param e the failure
     * @return one line, at most a few hundred characters
     */
    public static String describe(JsonProcessingException e) {
        return clean(e.getOriginalMessage());
    }

    /**
     * Cleans a parser message: keeps its first line, turns the start marker into {@code (opened at line L,
     * column C)}, drops source dumps and the names of parser settings, and shortens it.
     *
     * @param message the parser's message, may be null
     * @return the cleaned message
     */
    public static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable input";
        }
        String m = message.lines().findFirst().orElse("").strip();
        m = START_MARKER.matcher(m).replaceAll("(opened at line $1, column $2)");
        m = SOURCE.matcher(m).replaceAll("");
        m = FROM_FEATURE.matcher(m).replaceAll("");
        m = BACKTICKED.matcher(m).replaceAll("");
        var event = YAML_EVENT.matcher(m);
        if (event.find()) {
            String found = switch (event.group(1)) {
                case "SequenceStart" -> "a list";
                case "MappingStart" -> "a mapping";
                default -> "a " + event.group(1).replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
            };
            m = event.replaceAll("a key must be plain text, found " + found);
        }
        m = m.replace("JsonToken.", "").replace("(JSON String, Number, Array, Object or token 'null', 'true' or "
                + "'false')", "a JSON value");
        return shorten(m, MAX_MESSAGE);
    }

    /**
     * Returns {@code " at line L, column C"} for a failure's location, or nothing when it has none.
     *
     * @param e the failure
     * @return the location text
     */
    public static String where(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null || l.getLineNr() < 1 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /**
     * Quotes a user's value, cut to {@value #MAX_QUOTE} characters (with its full length) when longer.
     *
     * @param value the value
     * @return {@code 'value'} or {@code 'valu...' (1234567 characters)}
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String oneLine = value.replace("\r", "\\r").replace("\n", "\\n");
        if (value.length() <= MAX_QUOTE && oneLine.length() <= MAX_QUOTE) {
            return "'" + oneLine + "'";
        }
        return "'" + oneLine.substring(0, MAX_QUOTE) + "...' (" + value.length() + " characters)";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
