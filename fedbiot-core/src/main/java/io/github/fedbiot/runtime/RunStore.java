/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.metrics.RoundRecord;
import java.util.List;
import java.util.Map;

/**
 * Where a simulation keeps what outlives it: an output directory with checkpoint, metrics and summary
 * ({@link RunCheckpoints}), or nothing at all ({@link #IN_MEMORY}), so that library users who only want the
 * result get no files.
 */
interface RunStore {
    /** Keeps nothing: no checkpoint to resume, nothing written. */
    RunStore IN_MEMORY = new RunStore() {
        @Override
        public RoundCheckpoint open(RunMode mode) {
            if (mode == RunMode.RESUME) {
                throw new IllegalStateException("an in-memory simulation has no checkpoint to resume; give it an "
                        + "output directory");
            }
            return null;
        }

        @Override
        public void restore(RoundCheckpoint ckpt, FedBiOTServer server, List<FedBiOTClient> clients) {
            throw new IllegalStateException("an in-memory simulation has no checkpoint");
        }

        @Override
        public void save(int round, FedBiOTServer server, List<FedBiOTClient> clients, List<RoundRecord> records) {
            // nothing outlives an in-memory run; its records are in the result
        }

        @Override
        public Guard guard(Runnable onInterrupt) {
            return () -> { };
        }

        @Override
        public void complete(Map<EvaluationTarget, EvalScores> scores, List<RoundRecord> records) {
            // the scores are in the result
        }

        @Override
        public void close() {
            // nothing is held
        }
    };

    /**
     * Prepares a run: takes the store for it and returns the checkpoint to resume, or null to start from round 0.
     * A refusal leaves nothing held and nothing changed.
     *
     * @param mode what to do with an earlier run
     * @return the checkpoint, or null
     */
    RoundCheckpoint open(RunMode mode);

    /**
     * Puts a checkpoint's state back into the server and the clients.
     *
     * @param ckpt what {@link #open} returned
     * @param server the server
     * @param clients the clients
     */
    void restore(RoundCheckpoint ckpt, FedBiOTServer server, List<FedBiOTClient> clients);

    /**
     * Keeps the state after a finished round.
     *
     * @param round the round
     * @param server the server
     * @param clients the clients
     * @param records the records so far
     */
    void save(int round, FedBiOTServer server, List<FedBiOTClient> clients, List<RoundRecord> records);

    /**
     * Guards a save in progress against Ctrl-C while the run lasts.
     *
     * @param onInterrupt called when the JVM is asked to stop
     * @return closing it ends the guard
     */
    Guard guard(Runnable onInterrupt);

    /**
     * Keeps the outcome of a completed run.
     *
     * @param scores the test scores
     * @param records every round's record
     */
    void complete(Map<EvaluationTarget, EvalScores> scores, List<RoundRecord> records);

    /** Ends the run's hold on the store (also after a failure); harmless when nothing is held. */
    void close();

    /** A guard in force; closing it ends the guard. */
    interface Guard extends AutoCloseable {
        @Override
        void close();
    }
}
