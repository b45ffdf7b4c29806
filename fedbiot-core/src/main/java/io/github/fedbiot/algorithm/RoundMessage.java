/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.tensor.NamedTensors;
import java.util.Objects;

/**
 * What the server broadcasts at the start of a round: the global adapter LoRA, the current emulator LoRA (the
 * one aligned after the previous round's aggregation, so clients always train against the newest emulator;
 * the reference code never sends it), and the round's training settings. The same type travels in-process and
 * over Flower.
 *
 * @param round the round number, from 1
 * @param adapterLora the global adapter LoRA the clients start from
 * @param emulatorLora the emulator LoRA the clients apply frozen (empty when the emulator has no LoRA)
 * @param config the round's training settings
 */
public record RoundMessage(int round, NamedTensors adapterLora, NamedTensors emulatorLora, ClientRoundConfig config) {

    /** Rejects missing parts. */
    public RoundMessage {
        if (round < 1) {
            throw new IllegalArgumentException("rounds start at 1 (found " + round + ")");
        }
        Objects.requireNonNull(adapterLora, "adapterLora");
        Objects.requireNonNull(emulatorLora, "emulatorLora");
        Objects.requireNonNull(config, "config");
    }

    /** Returns the bytes of LoRA tensors this message carries (float32, as they travel). @return bytes */
    public long tensorBytes() {
        return adapterLora.byteSize() + emulatorLora.byteSize();
    }
}
