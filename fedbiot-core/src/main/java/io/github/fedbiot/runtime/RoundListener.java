/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.metrics.RoundRecord;

/**
 * Observes a simulation (metrics, progress display). Called on the simulation's thread; every method has an
 * empty default.
 */
public interface RoundListener {

    /**
     * Called once before the first round to run.
     *
     * @param firstRound the first round to run (greater than 1 when resuming)
     * @param lastRound the last round
     * @param clients the number of clients
     */
    default void onRunStart(int firstRound, int lastRound, int clients) {}

    /**
     * Called once after {@link #onRunStart} with the work the run will report through {@link #onSteps}: the
     * alignment steps, every sampled client's local steps (a client that drops out or fails reports its share
     * when it is done) and the examples evaluation scores or generates for. The reports add up to it exactly.
     *
     * @param units the run's work units
     */
    default void onWorkPlanned(long units) {}

    /**
     * Called as work of a phase completes: an alignment or local step, or examples evaluated.
     *
     * @param round the round (0: pre-alignment)
     * @param phase the phase the work belongs to
     * @param units units just done (at least 1)
     */
    default void onSteps(int round, RoundPhase phase, int units) {}

    /**
     * Called when a phase of a round starts.
     *
     * @param round the round (0: pre-alignment)
     * @param phase the phase
     * @param units work units in the phase (steps, clients or models)
     */
    default void onPhase(int round, RoundPhase phase, int units) {}

    /**
     * Called when the server broadcasts a round's message (before any client trains).
     *
     * @param message the message every sampled client receives
     */
    default void onBroadcast(RoundMessage message) {}

    /**
     * Called when a sampled client has finished (or failed) its part of a round.
     *
     * @param outcome what happened
     */
    default void onClientDone(ClientOutcome outcome) {}

    /**
     * Called after a round's checkpoint was written.
     *
     * @param record the round's metrics
     */
    default void onRoundEnd(RoundRecord record) {}

    /**
     * Called when the run ends.
     *
     * @param result the result
     */
    default void onRunEnd(SimulationResult result) {}
}
