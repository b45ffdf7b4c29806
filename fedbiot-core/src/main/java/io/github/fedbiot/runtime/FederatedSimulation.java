/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.AggregationOutcome;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.ModelEvaluator;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.algorithm.SeedStream;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.metrics.MetricsWriter;
import io.github.fedbiot.metrics.ProcessMemory;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>A shutdown hook (Ctrl-C) waits for a checkpoint write in progress, so the last completed round is always
 * on disk.
 */
public final class FederatedSimulation {
    private static final Logger logger = LoggerFactory.getLogger(FederatedSimulation.class);

    private final FedbiotConfig config;
    private final BaseModel model;
    private final FederatedDataset data;
    private final Path outDir;
    private final List<RoundListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private volatile boolean stopRequested;
    private volatile List<RoundRecord> recordsSoFar = List.of();

    /**
     * Creates a simulation.
     *
     * @param config the configuration
     * @param model the shared model (owned by the caller)
     * @param data the clients' and the public data
     * @param outDir where the checkpoint and metrics go
     */
    public FederatedSimulation(FedbiotConfig config, BaseModel model, FederatedDataset data, Path outDir) {
        this.config = config;
        this.model = model;
        this.data = data;
        this.outDir = outDir;
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

    /** Returns the checkpoint file of this run. @return the path */
    public Path checkpointFile() {
        return outDir.resolve(CheckpointStore.FILE_NAME);
    }

    /**
     * Returns the configuration as a checkpoint records it: flattened dotted keys, without
     * {@code federation.rounds} (a resumed run may go on for more rounds).
     *
     * @param config the configuration
     * @return key to value
     */
    public static Map<String, String> fingerprint(FedbiotConfig config) {
        Map<String, String> flat = new TreeMap<>(FedbiotConfigReader.flatten(config));
        flat.remove("federation.rounds");
        return flat;
    }

    /**
     * Runs the simulation.
     *
     * @param resume continue from the checkpoint in the output directory (refused if it belongs to another
     *     configuration); without it an existing checkpoint is an error, so nothing is overwritten
     * @return the result
     * @throws CheckpointException if the checkpoint is damaged, from another configuration, or present without
     *     {@code resume}
     */
    public SimulationResult run(boolean resume) {
        Path ckptFile = checkpointFile();
        RoundCheckpoint ckpt = null;
        if (resume && Files.exists(ckptFile)) {
            ckpt = CheckpointStore.read(ckptFile);
            CheckpointStore.requireSameConfig(ckpt, fingerprint(config), ckptFile);
            logger.info("resuming from {} after round {}", ckptFile, ckpt.round());
        } else if (resume) {
            logger.warn("--resume: no checkpoint at {}; starting from round 0", ckptFile);
        } else if (Files.exists(ckptFile)) {
            throw new CheckpointException("output directory " + outDir + " already holds a checkpoint; resume it "
                    + "(--resume) or choose another output directory");
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new FedbiotException("cannot create output directory " + outDir + ": " + e.getMessage(), e);
        }

        FederationSetup setup = new FederationSetup(config, model);
        TrainingStrategy strategy = setup.strategy();
        List<FedBiOTClient> clients = new ArrayList<>();
        for (ClientData cd : data.clients()) {
            clients.add(setup.client(cd.id(), setup.encodeTraining(cd.id(), cd.splits().train())));
        }
        FedBiOTServer server = setup.server(setup.publicStream(data.publicExamples()),
                setup.validator(data.clientIds()));
        ExampleStream<TokenizedExample> publicStream = server.publicData();
        ModelEvaluator evaluator = setup.evaluator();
        ClientSampler sampler = setup.sampler();

        List<RoundRecord> records = new ArrayList<>();
        int firstRound = 1;
        if (ckpt != null) {
            server.restore(ckpt.adapterLora(), ckpt.emulatorLora());
            if (publicStream != null) {
                publicStream.seek(ckpt.publicPosition());
            }
            for (FedBiOTClient c : clients) {
                Long pos = ckpt.clientPositions().get(c.id());
                if (pos == null) {
                    throw new CheckpointException("checkpoint " + ckptFile + " has no data position for " + c.id());
                }
                c.data().seek(pos);
            }
            records.addAll(ckpt.records());
            recordsSoFar = List.copyOf(records);
            firstRound = ckpt.round() + 1;
        }

        int lastRound = config.federation().rounds();
        Thread hook = new Thread(() -> {
            stopRequested = true;
            checkpointLock.lock();
            try {
                System.err.println("fedbiot: interrupted; the checkpoint in " + outDir + " holds the last completed "
                        + "round (continue with --resume)");
            } finally {
                checkpointLock.unlock();
            }
        }, "fedbiot-checkpoint-guard");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            final int start = firstRound;
            listeners.forEach(l -> l.onRunStart(start, lastRound, clients.size()));
            if (ckpt == null) {
                long t0 = System.nanoTime();
                listeners.forEach(l -> l.onPhase(0, "pre-align", strategy.preAlignSteps()));
                AlignResult pre = server.preAlign();
                RoundRecord r0 = record(0, 0, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, 0, pre, null, null, 0, 0, t0);
                records.add(r0);
                save(0, server, clients, records);
                listeners.forEach(l -> l.onRoundEnd(r0));
            }
            boolean completed = true;
            for (int round = start; round <= lastRound; round++) {
                if (stopRequested) {
                    completed = false;
                    logger.info("stopped before round {}; the checkpoint holds round {}", round, round - 1);
                    break;
                }
                RoundRecord rec = runRound(round, lastRound, server, clients, sampler, evaluator);
                records.add(rec);
                save(round, server, clients, records);
                listeners.forEach(l -> l.onRoundEnd(rec));
            }
            Map<EvaluationTarget, EvalScores> scores = new EnumMap<>(EvaluationTarget.class);
            if (completed && !stopRequested) {
                listeners.forEach(l -> l.onPhase(lastRound, "final-eval", 3));
                List<List<InstructionExample>> test = data.clients().stream().map(c -> c.splits().test()).toList();
                for (EvaluationTarget t : EvaluationTarget.values()) {
                    scores.put(t, evaluator.evaluate(t, strategy.plan(), server.adapterLora(), server.emulatorLora(),
                            test));
                }
                writeSummary(scores, records);
            }
            SimulationResult result = new SimulationResult(records, scores, server.adapterLora(),
                    server.emulatorLora(), completed && !stopRequested);
            listeners.forEach(l -> l.onRunEnd(result));
            return result;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down; the hook is running or has run.
            }
        }
    }

    private RoundRecord runRound(int round, int lastRound, FedBiOTServer server, List<FedBiOTClient> clients,
            ClientSampler sampler, ModelEvaluator evaluator) {
        long t0 = System.nanoTime();
        TrainingStrategy strategy = server.strategy();
        AlignResult align = null;
        if (round > 1 && strategy.alignSteps() > 0) {
            listeners.forEach(l -> l.onPhase(round, "align", strategy.alignSteps()));
            align = server.alignForRound(round);
        }
        List<String> ids = clients.stream().map(FedBiOTClient::id).toList();
        List<String> sampled = sampler.sample(ids, round);
        RoundMessage message = server.message(round);
        listeners.forEach(l -> l.onBroadcast(message));
        listeners.forEach(l -> l.onPhase(round, "train", sampled.size()));
        double deadline = config.federation().deadlineSeconds();
        List<ClientUpdate> updates = new ArrayList<>();
        int dropped = 0;
        int timedOut = 0;
        for (int i = 0; i < sampled.size(); i++) {
            String id = sampled.get(i);
            FedBiOTClient client = clients.get(ids.indexOf(id));
            final int index = i;
            if (sampler.dropsOut(id, round)) {
                dropped++;
                logger.info("[round {}] {} dropped out", round, id);
                listeners.forEach(l -> l.onClientDone(round, id, index, sampled.size(), "dropped", Double.NaN, 0));
                continue;
            }
            long c0 = System.nanoTime();
            ClientUpdate u;
            try {
                u = client.train(message);
            } catch (RuntimeException e) {
                logger.warn("[round {}] {} failed: {}", round, id, e.toString());
                listeners.forEach(l -> l.onClientDone(round, id, index, sampled.size(), "failed", Double.NaN, 0));
                continue;
            }
            double secs = (System.nanoTime() - c0) / 1e9;
            if (deadline > 0 && secs > deadline) {
                timedOut++;
                logger.warn("[round {}] {} missed the deadline ({} s > {} s); its update is discarded", round, id,
                        String.format("%.1f", secs), deadline);
                listeners.forEach(l -> l.onClientDone(round, id, index, sampled.size(), "timed-out",
                        u.metric(ClientUpdate.TRAIN_LOSS), (int) u.metric(ClientUpdate.STEPS)));
                continue;
            }
            updates.add(u);
            listeners.forEach(l -> l.onClientDone(round, id, index, sampled.size(), "ok",
                    u.metric(ClientUpdate.TRAIN_LOSS), (int) u.metric(ClientUpdate.STEPS)));
        }
        AggregationOutcome agg = server.aggregate(round, updates);
        double lossSum = 0;
        double proxSum = 0;
        double weight = 0;
        int skipped = 0;
        long up = 0;
        for (ClientUpdate u : updates) {
            skipped += (int) u.metric(ClientUpdate.SKIPPED_BATCHES);
            if (agg.accepted().contains(u.clientId())) {
                lossSum += u.samples() * u.metric(ClientUpdate.TRAIN_LOSS);
                proxSum += u.samples() * u.metric(ClientUpdate.PROXIMAL);
                weight += u.samples();
            }
            up = Math.max(up, u.adapterLora().byteSize());
        }
        EvalScores emu = null;
        EvalScores fu = null;
        if (round % config.eval().every() == 0 || round == lastRound) {
            listeners.forEach(l -> l.onPhase(round, "eval", 2));
            List<List<InstructionExample>> heldOut = data.clients().stream().map(c -> c.splits().validation().isEmpty()
                    ? c.splits().test() : c.splits().validation()).toList();
            emu = evaluator.evaluate(EvaluationTarget.ADAP_EMU, strategy.plan(), server.adapterLora(),
                    server.emulatorLora(), heldOut);
            fu = strategy.plan().hasEmulator() ? evaluator.evaluate(EvaluationTarget.ADAP_FU, strategy.plan(),
                    server.adapterLora(), server.emulatorLora(), heldOut) : emu;
        }
        return record(round, sampled.size(), updates.size(), dropped, timedOut, agg.rejected().size(), agg.samples(),
                weight == 0 ? Double.NaN : lossSum / weight, weight == 0 ? Double.NaN : proxSum / weight, skipped,
                align, emu, fu, message.tensorBytes(), up, t0);
    }

    private static RoundRecord record(int round, int sampled, int completed, int dropped, int timedOut, int rejected,
            long samples, double loss, double prox, int skipped, AlignResult align, EvalScores emu, EvalScores fu,
            long down, long up, long t0) {
        double nan = Double.NaN;
        return new RoundRecord(round, sampled, completed, dropped, timedOut, rejected, samples, loss, prox, skipped,
                align == null ? 0 : align.steps(), align == null ? nan : align.meanNl2(),
                align == null ? nan : align.meanKl(), align == null ? 0 : align.skippedBatches(),
                emu == null ? nan : emu.loss(), emu == null ? nan : emu.perplexity(), emu == null ? nan : emu.exactMatch(),
                fu == null ? nan : fu.loss(), fu == null ? nan : fu.perplexity(), fu == null ? nan : fu.exactMatch(),
                down, up, (System.nanoTime() - t0) / 1e9, ProcessMemory.heapUsed(), ProcessMemory.residentSetSize());
    }

    private void save(int round, FedBiOTServer server, List<FedBiOTClient> clients, List<RoundRecord> records) {
        Map<String, Long> positions = new LinkedHashMap<>();
        for (FedBiOTClient c : clients) {
            positions.put(c.id(), c.data().position());
        }
        long seed = config.seed();
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("root", seed);
        for (SeedStream s : List.of(SeedStream.PARTITION, SeedStream.ADAPTER_INIT, SeedStream.EMULATOR_INIT,
                SeedStream.PUBLIC_DATA)) {
            seeds.put(s.label(), s.derive(seed));
        }
        RoundCheckpoint c = new RoundCheckpoint(round, server.adapterLora(), server.emulatorLora(),
                server.publicData() == null ? 0 : server.publicData().position(), positions, seeds, records,
                fingerprint(config));
        checkpointLock.lock();
        try {
            CheckpointStore.write(checkpointFile(), c);
            MetricsWriter.write(outDir, records);
            recordsSoFar = List.copyOf(records);
        } finally {
            checkpointLock.unlock();
        }
    }

    private void writeSummary(Map<EvaluationTarget, EvalScores> scores, List<RoundRecord> records) {
        var json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
        var root = json.createObjectNode();
        root.put("algorithm", config.algorithm().id());
        root.put("rounds", config.federation().rounds());
        root.put("seed", config.seed());
        var s = root.putObject("test");
        scores.forEach((t, v) -> {
            var o = s.putObject(t.id());
            putNumber(o, "loss", v.loss());
            putNumber(o, "perplexity", v.perplexity());
            putNumber(o, "exact_match", v.exactMatch());
            o.put("tokens", v.tokens());
            o.put("generated", v.generated());
        });
        long down = 0;
        long up = 0;
        for (RoundRecord r : records) {
            down += r.bytesDownPerClient() * r.clientsSampled();
            up += r.bytesUpPerClient() * r.clientsCompleted();
        }
        root.put("bytes_down_total", down);
        root.put("bytes_up_total", up);
        root.set("config", json.valueToTree(fingerprint(config)));
        try {
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(outDir.resolve("summary.json"), out -> out.write(bytes));
        } catch (IOException e) {
            throw new FedbiotException("cannot write summary.json: " + e.getMessage(), e);
        }
    }

    private static void putNumber(com.fasterxml.jackson.databind.node.ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }
}
