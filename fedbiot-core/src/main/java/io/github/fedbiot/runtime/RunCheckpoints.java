/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.SeedStream;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.data.PromptTemplates;
import io.github.fedbiot.metrics.MetricsWriter;
import io.github.fedbiot.metrics.RoundRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint of one output directory: owns the directory for the run ({@link RunDirectoryLock}), refuses to
 * overwrite an earlier run or to resume another configuration's run, changed inputs or a checkpoint past the
 * rounds asked for, puts a resumed run's state back into the server and clients, writes the checkpoint and the
 * metrics files after every round, and guards a write in progress against Ctrl-C. Every file it writes names the
 * run by its id.
 */
final class RunCheckpoints implements RunStore {
    private static final Logger logger = LoggerFactory.getLogger(RunCheckpoints.class);
    /** The seeds a checkpoint records, besides the root seed (for the record; resuming re-derives them). */
    private static final List<SeedStream> RECORDED_SEEDS = List.of(SeedStream.PARTITION, SeedStream.ADAPTER_INIT,
            SeedStream.EMULATOR_INIT, SeedStream.PUBLIC_DATA);

    private final Path outDir;
    private final RunDirectory directory;
    private final FedbiotConfig config;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The run in progress: set by {@link #open}, cleared by {@link #close}. */
    private RunDirectoryLock held;
    private String runId;
    private RunInputs inputs;

    RunCheckpoints(Path outDir, FedbiotConfig config) {
        this.outDir = outDir;
        this.directory = new RunDirectory(outDir);
        this.config = config;
    }

    /**
     * Returns the configuration as a checkpoint records it: flattened dotted keys, without
     * {@code federation.rounds} (a resumed run may go on for more rounds) and without the default
     * {@code data.prompt_template}.
     */
    static Map<String, String> fingerprint(FedbiotConfig config) {
        Map<String, String> flat = new TreeMap<>(FedbiotConfigReader.flatten(config));
        flat.remove("federation.rounds");
        // the default prompt is left out so that checkpoints written before the key existed stay resumable
        flat.remove(PromptTemplates.KEY, PromptTemplates.ALPACA);
        return flat;
    }

    Path file() {
        return directory.checkpoint();
    }

    /**
     * Takes the directory for the run, then reads the checkpoint to resume from, or makes sure that no earlier
     * run is overwritten (or removes it, with {@link RunMode#OVERWRITE}); then removes stale temporary files.
     *
     * @return the checkpoint to resume, or null to start from round 0
     * @throws RunDirectoryException if another run holds the directory, an earlier run is in the way of a fresh
     *     start, there is nothing to resume, or the checkpoint is past the rounds asked for
     * @throws CheckpointException if the checkpoint is damaged, of an older format, from another configuration or
     *     made from other input files
     */
    @Override
    public RoundCheckpoint open(RunMode mode) {
        if (held != null) {
            throw new IllegalStateException("this simulation is already running in " + outDir);
        }
        RunDirectoryLock lock = RunDirectoryLock.acquire(outDir);
        try {
            RoundCheckpoint ckpt = mode == RunMode.RESUME ? resumable() : null;
            if (mode == RunMode.FRESH) {
                directory.requireNoEarlierRun();
            }
            inputs = ckpt != null ? ckpt.inputs() : RunInputs.of(config);
            runId = ckpt != null ? ckpt.runId() : UUID.randomUUID().toString();
            if (mode == RunMode.OVERWRITE) {
                directory.removeEarlierRun();
            }
            directory.removeStaleTemporaries();
            held = lock;
            logger.info("run {} in {}{}", runId, outDir, ckpt == null ? "" : ", resuming after round " + ckpt.round());
            return ckpt;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Reads the checkpoint and refuses it unless this configuration, on the same inputs, can continue it. */
    private RoundCheckpoint resumable() {
        RoundCheckpoint ckpt = directory.requireCheckpoint();
        Path file = file();
        CheckpointStore.requireSameConfig(ckpt, fingerprint(config), file);
        ckpt.inputs().requireUnchanged(file);
        int rounds = config.federation().rounds();
        if (ckpt.round() > rounds) {
            throw new RunDirectoryException("checkpoint " + file + " is after round " + ckpt.round() + ", but this "
                    + "run is to end after round " + rounds + " (federation.rounds / --rounds): a resume never goes "
                    + "back; ask for " + ckpt.round() + " rounds or more, or start afresh in another output directory");
        }
        if (ckpt.round() == rounds && directory.completed(ckpt.runId(), rounds)) {
            throw new RunDirectoryException("run " + ckpt.runId() + " in " + outDir + " is already complete after "
                    + "round " + rounds + " (see " + RunDirectory.SUMMARY + "); to go on, raise federation.rounds "
                    + "(--rounds)");
        }
        return ckpt;
    }

    /** Puts a checkpoint's LoRA and data positions back into the server and the clients. */
    @Override
    public void restore(RoundCheckpoint ckpt, FedBiOTServer server, List<FedBiOTClient> clients) {
        server.restore(ckpt.adapterLora(), ckpt.emulatorLora());
        if (server.publicData() != null) {
            server.publicData().seek(ckpt.publicPosition());
        }
        for (FedBiOTClient c : clients) {
            Long pos = ckpt.clientPositions().get(c.id());
            if (pos == null) {
                throw new CheckpointException("checkpoint " + file() + " has no data position for " + c.id());
            }
            c.data().seek(pos);
        }
    }

    /** Writes the checkpoint after {@code round} and the metrics files, atomically and under the write lock. */
    @Override
    public void save(int round, FedBiOTServer server, List<FedBiOTClient> clients, List<RoundRecord> records) {
        Map<String, Long> positions = new LinkedHashMap<>();
        for (FedBiOTClient c : clients) {
            positions.put(c.id(), c.data().position());
        }
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("root", config.seed());
        for (SeedStream s : RECORDED_SEEDS) {
            seeds.put(s.label(), s.derive(config.seed()));
        }
        RoundCheckpoint c = new RoundCheckpoint(round, server.adapterLora(), server.emulatorLora(),
                server.publicData() == null ? 0 : server.publicData().position(), positions, seeds, records,
                fingerprint(config), runId, inputs);
        writeLock.lock();
        try {
            CheckpointStore.write(file(), c);
            MetricsWriter.write(outDir, records, runId);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Installs a shutdown hook that, on Ctrl-C, calls {@code onInterrupt} and waits for a write in progress.
     *
     * @return closing it removes the hook
     */
    @Override
    public Guard guard(Runnable onInterrupt) {
        Thread hook = new Thread(() -> {
            onInterrupt.run();
            writeLock.lock();
            try {
                System.err.println("fedbiot: interrupted; the checkpoint in " + outDir + " holds the last completed "
                        + "round (continue with --resume)");
            } finally {
                writeLock.unlock();
            }
        }, "fedbiot-checkpoint-guard");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down; the hook is running or has run.
            }
        };
    }

    /** Writes {@code summary.json}. */
    @Override
    public void complete(Map<EvaluationTarget, EvalScores> scores, List<RoundRecord> records) {
        RunSummary.write(outDir, config, runId, scores, records);
    }

    /** Releases the directory. */
    @Override
    public void close() {
        if (held != null) {
            held.close();
            held = null;
        }
    }
}
