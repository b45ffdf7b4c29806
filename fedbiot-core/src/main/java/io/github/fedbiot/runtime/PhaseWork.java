/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.engine.StepObserver;

/**
 * The planned work of one piece of a round, passed on to {@link RoundListener#onSteps} as it is reported: never
 * more than planned, and the rest when the piece ends (a client that dropped out or failed, an alignment that
 * did not run), so that what the listeners see adds up to {@link RoundRunner#plannedWork}.
 */
final class PhaseWork implements StepObserver {
    private final RoundListener listener;
    private final int round;
    private final RoundPhase phase;
    private final long planned;
    private long reported;

    PhaseWork(RoundListener listener, int round, RoundPhase phase, long planned) {
        this.listener = listener;
        this.round = round;
        this.phase = phase;
        this.planned = planned;
    }

    @Override
    public void onSteps(int units) {
        pass(Math.min(units, planned - reported));
    }

    /** Reports what was planned but not done. */
    void finish() {
        pass(planned - reported);
    }

    private void pass(long units) {
        if (units > 0) {
            reported += units;
            listener.onSteps(round, phase, (int) units);
        }
    }
}
