/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import io.github.fedbiot.FedbiotException;

/**
 * A failed Fleet API call. {@link #retryable()} says whether the same call may succeed later (SuperLink down or
 * restarting, network error, deadline), so the SuperNode loop stays transport-agnostic.
 */
public class FleetException extends FedbiotException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is, independent of the transport. */
    public enum Kind {
        /** The SuperLink could not be reached or answered 502/503/504 or UNAVAILABLE/DEADLINE_EXCEEDED. */
        UNAVAILABLE,
        /** The SuperLink rejected the node's identity (HTTP 401, gRPC UNAUTHENTICATED): unknown node or key. */
        UNAUTHENTICATED,
        /** The public key is already registered (HTTP 409 PUBLIC_KEY_ALREADY_IN_USE, gRPC FAILED_PRECONDITION). */
        ALREADY_REGISTERED,
        /** The run is not running (FLEET_RUN_STATUS_NOT_ALLOWED, gRPC PERMISSION_DENIED). */
        RUN_NOT_RUNNING,
        /** Anything else the SuperLink refused. */
        REJECTED
    }

    private final Kind kind;
    private final String code;

    /**
     * Creates an exception.
     *
     * @param message what failed, with the server's status
     * @param kind the kind of failure
     * @param code the server's error code (Flower API error name, HTTP status or gRPC status), or empty
     * @param cause the underlying failure, or null
     */
    public FleetException(String message, Kind kind, String code, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code == null ? "" : code;
    }

    /**
     * Creates an exception without a cause.
     *
     * @param message what failed
     * @param kind the kind of failure
     * @param code the server's error code, or empty
     */
    public FleetException(String message, Kind kind, String code) {
        this(message, kind, code, null);
    }

    /** Returns whether retrying the same call later may succeed. @return true for {@link Kind#UNAVAILABLE} */
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE;
    }

    /** Returns the kind of failure. @return the kind */
    public Kind kind() {
        return kind;
    }

    /** Returns the server's error code. @return e.g. {@code FLEET_RUN_STATUS_NOT_ALLOWED}, or empty */
    public String code() {
        return code;
    }
}
