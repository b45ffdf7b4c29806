/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import io.github.fedbiot.FedbiotException;

/** Thrown when a record, array or object received from Flower is malformed; the message names what is wrong. */
public class RecordException extends FedbiotException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. @param message what is wrong */
    public RecordException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
