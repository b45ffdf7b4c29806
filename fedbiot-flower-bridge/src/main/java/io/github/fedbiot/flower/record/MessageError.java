/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.Objects;

/**
 * Flower's message {@code Error}: a reply that carries this instead of content tells the ServerApp that the
 * node could not handle the instruction.
 *
 * @param code a Flower error code (see the constants)
 * @param reason a readable explanation
 */
public record MessageError(long code, String reason) {
    /** Flower's {@code ErrorCode.UNKNOWN}; this node uses it for instructions it rejects as malformed. */
    public static final long UNKNOWN = 0;
    /** Flower's {@code ErrorCode.CLIENT_APP_RAISED_EXCEPTION}. */
    public static final long CLIENT_APP_RAISED_EXCEPTION = 2;
    /** Flower's {@code ErrorCode.MOD_FAILED_PRECONDITION}: a mod found the message unfit for it. */
    public static final long MOD_FAILED_PRECONDITION = 6;
    /** Flower's {@code ErrorCode.MESSAGE_UNAVAILABLE}. */
    public static final long MESSAGE_UNAVAILABLE = 3;

    /** Checks the reason. */
    public MessageError {
        Objects.requireNonNull(reason, "reason");
    }
}
