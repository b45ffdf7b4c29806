/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.metrics.RoundRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes every event to all registered listeners, in registration order; listeners may be added meanwhile. */
final class RoundListeners implements RoundListener {
    private final List<RoundListener> listeners = new CopyOnWriteArrayList<>();

    void add(RoundListener listener) {
        listeners.add(listener);
    }

    @Override
    public void onRunStart(int firstRound, int lastRound, int clients) {
        listeners.forEach(l -> l.onRunStart(firstRound, lastRound, clients));
    }

    @Override
    public void onWorkPlanned(long units) {
        listeners.forEach(l -> l.onWorkPlanned(units));
    }

    @Override
    public void onSteps(int round, RoundPhase phase, int units) {
        listeners.forEach(l -> l.onSteps(round, phase, units));
    }

    @Override
    public void onPhase(int round, RoundPhase phase, int units) {
        listeners.forEach(l -> l.onPhase(round, phase, units));
    }

    @Override
    public void onBroadcast(RoundMessage message) {
        listeners.forEach(l -> l.onBroadcast(message));
    }

    @Override
    public void onClientDone(ClientOutcome outcome) {
        listeners.forEach(l -> l.onClientDone(outcome));
    }

    @Override
    public void onRoundEnd(RoundRecord record) {
        listeners.forEach(l -> l.onRoundEnd(record));
    }

    @Override
    public void onRunEnd(SimulationResult result) {
        listeners.forEach(l -> l.onRunEnd(result));
    }
}
