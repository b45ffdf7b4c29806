/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.Objects;

/**
 * What the ServerApp starts a run from.
 *
 * @param adapterLora the initial global adapter LoRA (round 1's broadcast)
 * @param emulatorLora the initial emulator LoRA (before pre-alignment)
 * @param rounds {@code federation.rounds} of the aligner's configuration
 * @param algorithm the algorithm id ({@code fedbiot}, {@code fedot}, ...)
 */
public record InitialState(NamedTensors adapterLora, NamedTensors emulatorLora, int rounds, String algorithm) {

    /** Rejects missing parts. */
    public InitialState {
        Objects.requireNonNull(adapterLora, "adapterLora");
        Objects.requireNonNull(emulatorLora, "emulatorLora");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}
