/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.FedbiotException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Checks that a message shown to a user is one line in the project's words, without the reader's internals. */
public final class UserMessages {
    /** What must never reach a user: reader class and type names, source dumps, binding chains. */
    public static final List<String> FORBIDDEN = List.of("com.fasterxml", "Jackson", "JsonNode", "JsonToken",
            "[Source", "through reference chain", "Cannot deserialize", "Cannot construct", "java.lang",
            "java.util", "io.github.fedbiot.", "snakeyaml", "StreamReadConstraints", "DeserializationFeature",
            "REDACTED", "Input length =");

    private UserMessages() {}

    /**
     * Reads bytes as {@link TextInput} reads a file, asserting a clean message when they are refused.
     *
     * @param bytes the content
     * @param source its name
     * @param maxBytes the size cap
     * @return the text, or null when it was refused
     */
    public static String textOrRefusedCleanly(byte[] bytes, String source, long maxBytes) {
        try {
            return TextInput.read(new ByteArrayInputStream(bytes), source, maxBytes, "a test file");
        } catch (FedbiotException e) {
            assertClean(e.getMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that a message is non-empty, one line, short, and free of {@link #FORBIDDEN} text.
     *
     * @param message the message
     */
    public static void assertClean(String message) {
        assertThat(message).isNotBlank().doesNotContain("\n").hasSizeLessThan(700);
        for (String f : FORBIDDEN) {
            assertThat(message).as("message must not contain '%s'", f).doesNotContainIgnoringCase(f);
        }
    }
}
