/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.Objects;

/**
 * What a pre-alignment or an alignment of an {@link AlignerSession} hands back to the ServerApp.
 *
 * @param emulatorLora the emulator LoRA the next broadcast carries
 * @param result the alignment statistics, or null when no step ran (no pre-alignment, or an emulator without LoRA)
 */
public record AlignStep(NamedTensors emulatorLora, AlignResult result) {

    /** Rejects a missing emulator LoRA. */
    public AlignStep {
        Objects.requireNonNull(emulatorLora, "emulatorLora");
    }
}
