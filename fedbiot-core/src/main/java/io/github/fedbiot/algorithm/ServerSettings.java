/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.model.LoraSpec;
import java.util.Objects;

/**
 * Everything {@link FedBiOTServer} reads from the configuration, resolved once: the run seed, what every round's
 * broadcast tells the clients (its seed filled in per round) and how the server aligns the emulator.
 *
 * @param runSeed the run's root seed
 * @param clientRound the clients' training settings; {@link #roundConfig} puts in each round's seed
 * @param alignment the alignment settings
 */
public record ServerSettings(long runSeed, ClientRoundConfig clientRound, AlignmentSettings alignment) {

    /** Rejects missing parts. */
    public ServerSettings {
        Objects.requireNonNull(clientRound, "clientRound");
        Objects.requireNonNull(alignment, "alignment");
    }

    /**
     * Resolves the settings of a configuration for a strategy.
     *
     * @param config the configuration
     * @param strategy the algorithm's strategy (its compressed stack is what clients run)
     * @param lora the LoRA spec, valid for the model's family
     * @return the settings
     */
    public static ServerSettings of(FedbiotConfig config, TrainingStrategy strategy, LoraSpec lora) {
        var c = config.client();
        ClientRoundConfig round = new ClientRoundConfig(strategy.plan().compressedStack(), lora, config.optimizer(),
                c.localSteps(), c.batchSize(), c.gradAccum(), c.proximalWeightFor(config.algorithm()),
                c.proximalGradient(), 0);
        return new ServerSettings(config.seed(), round, AlignmentSettings.of(config));
    }

    /** Returns the LoRA spec. @return the spec */
    public LoraSpec lora() {
        return clientRound.lora();
    }

    /**
     * Returns a round's client settings.
     *
     * @param round the round, from 1
     * @return the settings with the round's {@link SeedStream#CLIENT_TRAIN} seed
     */
    public ClientRoundConfig roundConfig(int round) {
        return clientRound.withSeed(SeedStream.CLIENT_TRAIN.derive(runSeed, round));
    }
}
