/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

/** A phase of a simulated round, as {@link RoundListener#onPhase} reports it. */
public enum RoundPhase {
    /** The server's pre-alignment before round 1 (units: steps). */
    PRE_ALIGN("pre-align"),
    /** The server's alignment before a round's broadcast (units: steps). */
    ALIGN("align"),
    /** The sampled clients' local training (units: clients). */
    TRAIN("train"),
    /** AdapEmu / AdapFu on the held-out splits (units: models). */
    EVAL("eval"),
    /** The test scores after the last round (units: models). */
    FINAL_EVAL("final-eval");

    private final String id;

    RoundPhase(String id) {
        this.id = id;
    }

    /** Returns the name shown in logs and progress lines, e.g. {@code pre-align}. @return the id */
    public String id() {
        return id;
    }

    /** Returns whether the phase counts alignment steps (else clients or models). @return true if so */
    public boolean isAlignment() {
        return this == PRE_ALIGN || this == ALIGN;
    }
}
