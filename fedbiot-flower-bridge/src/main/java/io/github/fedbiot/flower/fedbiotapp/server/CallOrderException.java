/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

/**
 * Thrown when the ServerApp calls an {@link AlignerSession} step out of order (align before pre-align, a round
 * twice, finish without any aggregated round); the session's state is unchanged. A transport reports it as a
 * failed precondition, apart from malformed arguments.
 */
public final class CallOrderException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was called and what must come first
     */
    public CallOrderException(String message) {
        super(message);
    }
}
