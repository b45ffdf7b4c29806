/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.FedbiotException;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint of one output directory: refuses to overwrite or to resume another configuration's run, puts a
 * resumed run's state back into the server and clients, writes the checkpoint and the metrics files after every
 * round, and guards a write in progress against Ctrl-C.
 */
final class RunCheckpoints implements RunStore {
    private static final Logger logger = LoggerFactory.getLogger(RunCheckpoints.class);
    /** The seeds a checkpoint records, besides the root seed (for the record; resuming re-derives them). */
    private static final List<SeedStream> RECORDED_SEEDS = List.of(SeedStream.PARTITION, SeedStream.ADAPTER_INIT,
            SeedStream.EMULATOR_INIT, SeedStream.PUBLIC_DATA);

    private final Path outDir;
    private final FedbiotConfig config;
    private final ReentrantLock writeLock = new ReentrantLock();

    RunCheckpoints(Path outDir, FedbiotConfig config) {
        this.outDir = outDir;
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
        // a known noise seed undoes the noise, so it is never written out; without privacy the section is left
        // out so that checkpoints written before it existed stay resumable
        flat.remove("privacy.noise_seed");
        if (!config.privacy().enabled()) {
            flat.keySet().removeIf(k -> k.startsWith("privacy."));
        }
        return flat;
    }

    Path file() {
        return outDir.resolve(CheckpointStore.FILE_NAME);
    }

    /**
     * Opens the directory for a run: reads the checkpoint to resume from, or makes sure none is overwritten.
     *
     * @return the checkpoint to resume, or null to start from round 0
     * @throws CheckpointException if the checkpoint is damaged, from another configuration, or present without
     *     {@code resume}
     */
    @Override
    public RoundCheckpoint open(boolean resume) {
        Path file = file();
        RoundCheckpoint ckpt = null;
        if (resume && Files.exists(file)) {
            ckpt = CheckpointStore.read(file);
            CheckpointStore.requireSameConfig(ckpt, fingerprint(config), file);
            logger.info("resuming from {} after round {}", file, ckpt.round());
        } else if (resume) {
            logger.warn("--resume: no checkpoint at {}; starting from round 0", file);
        } else if (Files.exists(file)) {
            throw new CheckpointException("output directory " + outDir + " already holds a checkpoint; resume it "
                    + "(--resume) or choose another output directory");
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new FedbiotException("cannot create output directory " + outDir + ": " + e.getMessage(), e);
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
                fingerprint(config));
        writeLock.lock();
        try {
            CheckpointStore.write(file(), c);
            MetricsWriter.write(outDir, records);
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
        RunSummary.write(outDir, config, scores, records);
    }
}
