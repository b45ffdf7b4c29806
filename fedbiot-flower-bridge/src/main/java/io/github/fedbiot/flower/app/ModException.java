/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import io.github.fedbiot.flower.record.MessageError;

/**
 * A {@link Mod} refuses a message; the node replies with a Flower error of the exception's code (by default
 * {@code MOD_FAILED_PRECONDITION}) and the message as its reason, and keeps running.
 */
public final class ModException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long code;

    /**
     * Creates the exception with code {@link MessageError#MOD_FAILED_PRECONDITION}.
     *
     * @param reason the reason the ServerApp sees
     */
    public ModException(String reason) {
        this(MessageError.MOD_FAILED_PRECONDITION, reason);
    }

    /**
     * Creates the exception.
     *
     * @param code the Flower error code
     * @param reason the reason the ServerApp sees
     */
    public ModException(long code, String reason) {
        super(reason);
        this.code = code;
    }

    /** Returns the Flower error code. @return the code */
    public long code() {
        return code;
    }
}
