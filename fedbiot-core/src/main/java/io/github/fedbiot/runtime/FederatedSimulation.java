/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.metrics.RoundRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole federation in one JVM: the server and all clients share one {@link BaseModel} (frozen weights
 * held once; each client holds only its data and, while it trains, its LoRA).
 *
 * <p>The rounds:
 * <pre>
 *   round 0   pre-align the emulator (R0 * E steps, FedBiOT; FedOT with fedot_distill)       -> checkpoint
 *   round t   align the emulator (E steps, FedBiOT, t &gt; 1) with the adapter of round t-1
 *             broadcast RoundMessage(t, adapter LoRA, emulator LoRA, settings) to the sampled clients
 *             each client: drop out? else local training; past the deadline? then discarded
 *             validate updates (rejects logged), FedAvg the valid ones
 *             evaluate AdapEmu / AdapFu on the validation splits (every eval.every rounds and the last)
 *             write the checkpoint, metrics.jsonl and metrics.csv atomically                -> listeners
 *   end       test scores of the un-tuned model, AdapEmu and AdapFu -> summary.json
 * </pre>
 * Aligning at the start of round t rather than at the end of round t-1 gives the same sequence as the
 * reference code (aggregate, evaluate, align, broadcast; no alignment after the last round) while every
 * checkpoint holds only finished work. Every random draw derives from the configured seed, the round and the
 * client (see {@link io.github.fedbiot.algorithm.SeedStream}), and data streams store their positions, so {@link #run(boolean) resuming} from a
 * checkpoint continues exactly as the uninterrupted run would have (up to the engine's float nondeterminism).
 *
 * <p>Given an output directory, the run owns it while it lasts (a second run into it is refused), checkpoints
 * there after every round and can be resumed ({@link RunMode}); a shutdown hook (Ctrl-C) waits for a checkpoint
 * write in progress, so the last completed round is always on disk. What is checked before a resume, and what a
 * refusal leaves untouched, is in {@code docs/reliability.md}.
 * Without one it runs in memory and writes nothing: the metrics and the final LoRA are in the
 * {@link SimulationResult}, which also saves the adapter ({@link SimulationResult#savePeft}) or the merged model
 * ({@link SimulationResult#saveMerged}).
 *
 * <pre>{@code
 * SimulationResult result = new FederatedSimulation(config, model, FederatedDataset.of(config, train, pub)).run();
 * result.savePeft(Path.of("adapter"));
 * }</pre>
 */
public final class FederatedSimulation {
    private static final Logger logger = LoggerFactory.getLogger(FederatedSimulation.class);

    private final FedbiotConfig config;
    private final BaseModel model;
    private final FederatedDataset data;
    private final RunStore store;
    private final RunCheckpoints checkpoints;
    private final RoundListeners listeners = new RoundListeners();
    private volatile boolean stopRequested;
    private volatile List<RoundRecord> recordsSoFar = List.of();

    /**
     * Creates a simulation that runs in memory: no checkpoint, no metrics files, nothing written.
     *
     * @param config the configuration
     * @param model the shared model (owned by the caller)
     * @param data the clients' and the public data
     */
    public FederatedSimulation(FedbiotConfig config, BaseModel model, FederatedDataset data) {
        this(config, model, data, (RunCheckpoints) null);
    }

    /**
     * Creates a simulation that checkpoints into a directory after every round and can resume from it.
     *
     * @param config the configuration
     * @param model the shared model (owned by the caller)
     * @param data the clients' and the public data
     * @param outDir where the checkpoint, metrics.jsonl, metrics.csv and summary.json go
     */
    public FederatedSimulation(FedbiotConfig config, BaseModel model, FederatedDataset data, Path outDir) {
        this(config, model, data, new RunCheckpoints(Objects.requireNonNull(outDir, "outDir"), config));
    }

    /** Creates the simulation; {@code checkpoints} is null for an in-memory run. */
    private FederatedSimulation(FedbiotConfig config, BaseModel model, FederatedDataset data,
            RunCheckpoints checkpoints) {
        this.config = Objects.requireNonNull(config, "config");
        this.model = Objects.requireNonNull(model, "model");
        this.data = Objects.requireNonNull(data, "data");
        this.checkpoints = checkpoints;
        this.store = checkpoints != null ? checkpoints : RunStore.IN_MEMORY;
    }

    /**
     * Adds a listener.
     *
     * @param listener the listener
     */
    public void addListener(RoundListener listener) {
        listeners.add(listener);
    }

    /** Asks the run to stop after the round in progress (its checkpoint is written first). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Returns the metrics of the rounds completed so far (round 0 = pre-alignment). @return the records */
    public List<RoundRecord> records() {
        return recordsSoFar;
    }

    /**
     * Returns the checkpoint file of this run.
     *
     * @return the path
     * @throws IllegalStateException if the simulation runs in memory
     */
    public Path checkpointFile() {
        if (checkpoints == null) {
            throw new IllegalStateException("an in-memory simulation has no checkpoint file");
        }
        return checkpoints.file();
    }

    /**
     * Returns the configuration as a checkpoint records it: flattened dotted keys, without
     * {@code federation.rounds} (a resumed run may go on for more rounds).
     *
     * @param config the configuration
     * @return key to value
     */
    public static Map<String, String> fingerprint(FedbiotConfig config) {
        return RunCheckpoints.fingerprint(config);
    }

    /**
     * Runs the simulation from round 0; with an output directory, one that already holds an earlier run is
     * refused, so nothing is overwritten.
     *
     * @return the result
     * @throws RunDirectoryException if the output directory is in use or already holds a run
     */
    public SimulationResult run() {
        return run(RunMode.FRESH);
    }

    /**
     * Runs the simulation from round 0 ({@link RunMode#FRESH}) or resumes it ({@link RunMode#RESUME}).
     *
     * @param resume continue from the checkpoint in the output directory
     * @return the result
     * @throws CheckpointException as {@link #run(RunMode)}
     * @throws IllegalStateException if {@code resume} is asked of an in-memory simulation
     */
    public SimulationResult run(boolean resume) {
        return run(resume ? RunMode.RESUME : RunMode.FRESH);
    }

    /**
     * Runs the simulation. With an output directory the run owns it until it returns or fails: another run into
     * it meanwhile is refused. Every refusal comes before anything in the directory is changed.
     *
     * @param mode start afresh, resume, or start afresh replacing an earlier run
     * @return the result
     * @throws RunDirectoryException if the directory is in use by another run, holds an earlier run (fresh start),
     *     has no checkpoint or one past the rounds asked for (resume)
     * @throws CheckpointException if the checkpoint is damaged, of an older format, from another configuration or
     *     from changed input files
     * @throws IllegalStateException if a resume is asked of an in-memory simulation
     */
    public SimulationResult run(RunMode mode) {
        RoundCheckpoint ckpt = store.open(Objects.requireNonNull(mode, "mode"));
        try {
            return runFrom(ckpt);
        } finally {
            store.close();
        }
    }

    /** Runs from a checkpoint (null: from round 0) while the store is open. */
    private SimulationResult runFrom(RoundCheckpoint ckpt) {
        FederationSetup setup = new FederationSetup(config, model);
        List<FedBiOTClient> clients = new ArrayList<>();
        for (ClientData cd : data.clients()) {
            clients.add(setup.client(cd.id(), setup.encodeTraining(cd.id(), cd.splits().train())));
        }
        FedBiOTServer server = setup.server(setup.publicStream(data.publicExamples()),
                setup.validator(data.clientIds()));
        RoundRunner rounds = new RoundRunner(setup, server, clients, data, listeners, System::nanoTime);
        List<RoundRecord> records = new ArrayList<>();
        int firstRound = 1;
        if (ckpt != null) {
            store.restore(ckpt, server, clients);
            records.addAll(ckpt.records());
            recordsSoFar = List.copyOf(records);
            firstRound = ckpt.round() + 1;
        }
        int lastRound = config.federation().rounds();
        RunStore.Guard guard = store.guard(() -> stopRequested = true);
        try (guard) {
            listeners.onRunStart(firstRound, lastRound, clients.size());
            listeners.onWorkPlanned(rounds.plannedWork(firstRound, ckpt == null));
            if (ckpt == null) {
                finishRound(rounds.preAlign(), records, server, clients);
            }
            boolean completed = true;
            for (int round = firstRound; round <= lastRound; round++) {
                if (stopRequested) {
                    completed = false;
                    logger.info("stopped before round {}; the checkpoint holds round {}", round, round - 1);
                    break;
                }
                finishRound(rounds.run(round), records, server, clients);
            }
            completed = completed && !stopRequested;
            Map<EvaluationTarget, EvalScores> scores = new EnumMap<>(EvaluationTarget.class);
            if (completed) {
                scores = rounds.testScores();
                store.complete(scores, records);
            }
            SimulationResult result = new SimulationResult(records, scores, server.adapterLora(),
                    server.emulatorLora(), completed, setup.lora(), model, baseModelName());
            listeners.onRunEnd(result);
            return result;
        }
    }

    /** Names the base model in an exported adapter: the configured model directory, when there is one. */
    private String baseModelName() {
        String dir = config.model().dir();
        return dir.isEmpty() ? null : dir;
    }

    /** Checkpoints a finished round, then tells the listeners (so what they see is on disk). */
    private void finishRound(RoundRecord rec, List<RoundRecord> records, FedBiOTServer server,
            List<FedBiOTClient> clients) {
        records.add(rec);
        store.save(rec.round(), server, clients, records);
        recordsSoFar = List.copyOf(records);
        listeners.onRoundEnd(rec);
    }
}
