/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.Objects;
import java.util.Optional;

/**
 * Flower's {@code Message}: metadata plus either content or an error, never both.
 *
 * @param metadata the metadata
 * @param content the content, or null when {@code error} is set
 * @param error the error, or null when {@code content} is set
 */
public record Message(Metadata metadata, RecordDict content, MessageError error) {

    /** Checks that exactly one of content and error is set. */
    public Message {
        Objects.requireNonNull(metadata, "metadata");
        if ((content == null) == (error == null)) {
            throw new IllegalArgumentException("a Message has either content or an error, not "
                    + (content == null ? "neither" : "both"));
        }
    }

    /**
     * Returns a message with content.
     *
     * @param metadata the metadata
     * @param content the content
     * @return the message
     */
    public static Message ofContent(Metadata metadata, RecordDict content) {
        return new Message(metadata, Objects.requireNonNull(content, "content"), null);
    }

    /**
     * Returns a message with an error.
     *
     * @param metadata the metadata
     * @param error the error
     * @return the message
     */
    public static Message ofError(Metadata metadata, MessageError error) {
        return new Message(metadata, null, Objects.requireNonNull(error, "error"));
    }

    /** Returns whether the message carries content. @return true if so */
    public boolean hasContent() {
        return content != null;
    }

    /** Returns the error, if any. @return the error */
    public Optional<MessageError> errorOpt() {
        return Optional.ofNullable(error);
    }
}
