/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import java.util.Objects;

/**
 * One sampled client's part of a round, as {@link RoundListener#onClientDone} reports it.
 *
 * @param round the round
 * @param clientId the client
 * @param index position among the round's sampled clients, from 0
 * @param sampled the number of sampled clients
 * @param status how it ended
 * @param loss the client's mean training loss (NaN when it sent nothing)
 * @param steps optimizer steps the client ran (0 when it sent nothing)
 */
public record ClientOutcome(int round, String clientId, int index, int sampled, ClientStatus status, double loss,
        int steps) {

    /** Rejects missing parts. */
    public ClientOutcome {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(status, "status");
    }
}
