/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot;

/** The unchecked exception of fedbiot-core; every other fedbiot exception extends it. */
public class FedbiotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. @param message what went wrong */
    public FedbiotException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public FedbiotException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates an exception wrapping a cause. @param cause the underlying failure */
    public FedbiotException(Throwable cause) {
        super(cause);
    }
}
