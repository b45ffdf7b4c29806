/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

import java.util.Objects;

/**
 * What happened in one round; one line of {@code metrics.jsonl} and one row of {@code metrics.csv} (the columns
 * are listed in {@link MetricsWriter}). Values not measured in a round (e.g. evaluation between
 * {@code eval.every} rounds, alignment in round 1) are NaN. Round 0 is the server's pre-alignment before the
 * first round.
 *
 * @param round the round (0: pre-alignment)
 * @param clients who took part
 * @param training the clients' local training
 * @param alignment the server's alignment run before this round's broadcast
 * @param emu AdapEmu held-out scores
 * @param fu AdapFu held-out scores
 * @param traffic LoRA bytes per client
 * @param cost wall time and memory
 * @param privacy the differential privacy spent ({@link PrivacyStats#NONE} without it)
 */
public record RoundRecord(int round, Participation clients, TrainingStats training, AlignmentStats alignment,
        HeldOutScores emu, HeldOutScores fu, Traffic traffic, RoundCost cost, PrivacyStats privacy) {

    /** Rejects missing parts. */
    public RoundRecord {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(alignment, "alignment");
        Objects.requireNonNull(emu, "emu");
        Objects.requireNonNull(fu, "fu");
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(privacy, "privacy");
    }

    /**
     * Creates the record of a round without differential privacy.
     *
     * @param round the round (0: pre-alignment)
     * @param clients who took part
     * @param training the clients' local training
     * @param alignment the server's alignment run before this round's broadcast
     * @param emu AdapEmu held-out scores
     * @param fu AdapFu held-out scores
     * @param traffic LoRA bytes per client
     * @param cost wall time and memory
     */
    public RoundRecord(int round, Participation clients, TrainingStats training, AlignmentStats alignment,
            HeldOutScores emu, HeldOutScores fu, Traffic traffic, RoundCost cost) {
        this(round, clients, training, alignment, emu, fu, traffic, cost, PrivacyStats.NONE);
    }

    /**
     * Returns a copy with the round's privacy.
     *
     * @param p the privacy
     * @return the new record
     */
    public RoundRecord withPrivacy(PrivacyStats p) {
        return new RoundRecord(round, clients, training, alignment, emu, fu, traffic, cost, p);
    }
}
