/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;

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
