/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.FedbiotException;

/** Thrown when a client update must not be aggregated; the message names the client and what is wrong. */
public class InvalidUpdateException extends FedbiotException {
    private static final long serialVersionUID = 1L;

    private final String clientId;

    /**
     * Creates the exception.
     *
     * @param clientId the client whose update is rejected
     * @param reason what is wrong
     */
    public InvalidUpdateException(String clientId, String reason) {
        super("update from client '" + clientId + "' rejected: " + reason);
        this.clientId = clientId;
    }

    /** Returns the client whose update was rejected. @return the id */
    public String clientId() {
        return clientId;
    }
}
