/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

/**
 * A SecAgg+ instruction this node refuses: out of order, malformed, or inconsistent with what the node knows.
 * It becomes the error reply of the instruction, so the ServerApp counts the node as dropped; messages never
 * contain keys, seeds or shares.
 */
public final class SecAggPlusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Returns an exception.
     *
     * @param message what is wrong
     */
    public SecAggPlusException(String message) {
        super(message);
    }

    /**
     * Returns an exception with a cause.
     *
     * @param message what is wrong
     * @param cause the cause
     */
    public SecAggPlusException(String message, Throwable cause) {
        super(message, cause);
    }
}
