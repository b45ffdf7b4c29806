/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import io.github.fedbiot.algorithm.EvaluationTarget;

/**
 * Which model the trained adapter runs in when the returned Tribuo model classifies (the OLCUT-facing names of
 * fedbiot-core's {@link EvaluationTarget}).
 */
public enum EvaluationMode {
    /** "AdapFu": the adapter plugged into the full model (all N layers; the server-side result). */
    ADAP_FU(EvaluationTarget.ADAP_FU),
    /** "AdapEmu": the adapter on the emulator (compressed stack with the emulator's LoRA; what clients hold). */
    ADAP_EMU(EvaluationTarget.ADAP_EMU);

    private final EvaluationTarget target;

    EvaluationMode(EvaluationTarget target) {
        this.target = target;
    }

    /** Returns fedbiot-core's evaluation target. @return the target */
    public EvaluationTarget target() {
        return target;
    }
}
