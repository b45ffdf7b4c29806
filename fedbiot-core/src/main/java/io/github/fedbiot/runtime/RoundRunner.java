/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.algorithm.AggregationOutcome;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.ModelEvaluator;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.metrics.AlignmentStats;
import io.github.fedbiot.metrics.HeldOutScores;
import io.github.fedbiot.metrics.Participation;
import io.github.fedbiot.metrics.PrivacyStats;
import io.github.fedbiot.privacy.ClientLevelDp;
import io.github.fedbiot.metrics.RoundCost;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.metrics.Traffic;
import io.github.fedbiot.metrics.TrainingStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rounds of one in-process federation: the pre-alignment (round 0), then per round the alignment,
 * the broadcast to the sampled clients, their training with dropouts, failures and the deadline, validation and
 * aggregation, and the held-out evaluation, each summed up in a {@link RoundRecord}. Checkpoints and the run's
 * course are {@link FederatedSimulation}'s.
 */
final class RoundRunner {
    private static final Logger logger = LoggerFactory.getLogger(RoundRunner.class);

    private final FedBiOTServer server;
    private final List<FedBiOTClient> clients;
    private final List<String> ids;
    private final FederatedDataset data;
    private final ClientSampler sampler;
    private final ModelEvaluator evaluator;
    private final double deadlineSeconds;
    private final int evalEvery;
    private final int lastRound;
    private final RoundListener listener;
    private final LongSupplier nanoClock;
    private final ClientLevelDp privacy;

    /**
     * Creates the runner.
     *
     * @param setup the federation's parts and configuration
     * @param server the server
     * @param clients the clients, in the order of {@code data.clients()}
     * @param data the clients' held-out and test splits
     * @param listener receives the events
     * @param nanoClock the time source of deadlines and wall times, in nanoseconds
     */
    RoundRunner(FederationSetup setup, FedBiOTServer server, List<FedBiOTClient> clients, FederatedDataset data,
            RoundListener listener, LongSupplier nanoClock) {
        this.server = server;
        this.clients = List.copyOf(clients);
        this.ids = clients.stream().map(FedBiOTClient::id).toList();
        this.data = data;
        this.sampler = setup.sampler();
        this.evaluator = setup.evaluator();
        this.deadlineSeconds = setup.config().federation().deadlineSeconds();
        this.evalEvery = setup.config().eval().every();
        this.lastRound = setup.config().federation().rounds();
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.privacy = setup.privacy().orElse(null);
    }

    /** Runs round 0, the server's pre-alignment. @return its record */
    RoundRecord preAlign() {
        long t0 = nanoClock.getAsLong();
        listener.onPhase(0, RoundPhase.PRE_ALIGN, server.strategy().preAlignSteps());
        PhaseWork work = new PhaseWork(listener, 0, RoundPhase.PRE_ALIGN, server.strategy().preAlignSteps());
        AlignResult pre = server.preAlign(work);
        work.finish();
        return new RoundRecord(0, Participation.NONE, TrainingStats.NONE, AlignmentStats.of(pre), HeldOutScores.NONE,
                HeldOutScores.NONE, Traffic.NONE, cost(t0));
    }

    /**
     * Runs one round.
     *
     * @param round the round, from 1
     * @return its record
     */
    RoundRecord run(int round) {
        long t0 = nanoClock.getAsLong();
        TrainingStrategy strategy = server.strategy();
        AlignResult align = null;
        if (round > 1 && strategy.alignSteps() > 0) {
            listener.onPhase(round, RoundPhase.ALIGN, strategy.alignSteps());
            PhaseWork work = new PhaseWork(listener, round, RoundPhase.ALIGN, strategy.alignSteps());
            align = server.alignForRound(round, work);
            work.finish();
        }
        List<String> sampled = sampler.sample(ids, round);
        RoundMessage message = server.message(round);
        listener.onBroadcast(message);
        listener.onPhase(round, RoundPhase.TRAIN, sampled.size());
        List<ClientUpdate> updates = new ArrayList<>();
        int dropped = 0;
        int timedOut = 0;
        for (int i = 0; i < sampled.size(); i++) {
            String id = sampled.get(i);
            PhaseWork work = new PhaseWork(listener, round, RoundPhase.TRAIN, message.config().localSteps());
            ClientStatus status;
            ClientUpdate u = null;
            if (sampler.dropsOut(id, round)) {
                logger.info("[round {}] {} dropped out", round, id);
                status = ClientStatus.DROPPED;
                dropped++;
            } else {
                long c0 = nanoClock.getAsLong();
                try {
                    u = clients.get(ids.indexOf(id)).train(message, work);
                    status = ClientStatus.OK;
                } catch (RuntimeException e) {
                    logger.warn("[round {}] {} failed: {}", round, id, e.toString());
                    status = ClientStatus.FAILED;
                }
                double secs = (nanoClock.getAsLong() - c0) / 1e9;
                if (u != null && deadlineSeconds > 0 && secs > deadlineSeconds) {
                    logger.warn("[round {}] {} missed the deadline ({} s > {} s); its update is discarded", round,
                            id, String.format("%.1f", secs), deadlineSeconds);
                    status = ClientStatus.TIMED_OUT;
                    timedOut++;
                }
            }
            work.finish();
            if (status == ClientStatus.OK) {
                updates.add(u);
            }
            listener.onClientDone(new ClientOutcome(round, id, i, sampled.size(), status,
                    u == null ? Double.NaN : u.metric(ClientUpdate.TRAIN_LOSS),
                    u == null ? 0 : (int) u.metric(ClientUpdate.STEPS)));
        }
        AggregationOutcome agg = server.aggregate(round, updates);
        PrivacyStats dp = privacy == null ? PrivacyStats.NONE : privacy.report(round);
        long up = updates.stream().mapToLong(u -> u.adapterLora().byteSize()).max().orElse(0);
        EvalScores emu = null;
        EvalScores fu = null;
        if (evaluates(round)) {
            listener.onPhase(round, RoundPhase.EVAL, 2);
            List<List<InstructionExample>> heldOut = heldOut();
            emu = evaluate(EvaluationTarget.ADAP_EMU, heldOut, round, RoundPhase.EVAL);
            fu = strategy.plan().hasEmulator() ? evaluate(EvaluationTarget.ADAP_FU, heldOut, round, RoundPhase.EVAL)
                    : emu;
        }
        return new RoundRecord(round, new Participation(sampled.size(), updates.size(), dropped, timedOut,
                agg.rejected().size()), training(updates, agg), AlignmentStats.of(align), HeldOutScores.of(emu),
                HeldOutScores.of(fu), new Traffic(message.tensorBytes(), up), cost(t0), dp);
    }

    /** Returns the test scores of the un-tuned model, AdapEmu and AdapFu. @return target to scores */
    Map<EvaluationTarget, EvalScores> testScores() {
        listener.onPhase(lastRound, RoundPhase.FINAL_EVAL, EvaluationTarget.values().length);
        List<List<InstructionExample>> test = test();
        Map<EvaluationTarget, EvalScores> scores = new EnumMap<>(EvaluationTarget.class);
        for (EvaluationTarget t : EvaluationTarget.values()) {
            scores.put(t, evaluate(t, test, lastRound, RoundPhase.FINAL_EVAL));
        }
        return scores;
    }

    /**
     * Returns the work that running rounds {@code firstRound..lastRound} and the test scores reports through
     * {@link RoundListener#onSteps}, counted by the same rules the rounds follow.
     *
     * @param firstRound the first round to run
     * @param withPreAlign whether round 0 runs too
     * @return the work units
     */
    long plannedWork(int firstRound, boolean withPreAlign) {
        TrainingStrategy strategy = server.strategy();
        long evalUnits = evaluator.units(heldOut()) * (strategy.plan().hasEmulator() ? 2 : 1);
        long units = withPreAlign ? strategy.preAlignSteps() : 0;
        for (int round = firstRound; round <= lastRound; round++) {
            units += round > 1 && strategy.alignSteps() > 0 ? strategy.alignSteps() : 0;
            units += (long) sampler.sample(ids, round).size() * server.settings().roundConfig(round).localSteps();
            units += evaluates(round) ? evalUnits : 0;
        }
        return units + evaluator.units(test()) * EvaluationTarget.values().length;
    }

    private boolean evaluates(int round) {
        return round % evalEvery == 0 || round == lastRound;
    }

    /** Each client's validation split, or its test split when it has no validation examples. */
    private List<List<InstructionExample>> heldOut() {
        return data.clients().stream().map(c -> c.splits().validation().isEmpty() ? c.splits().test()
                : c.splits().validation()).toList();
    }

    private List<List<InstructionExample>> test() {
        return data.clients().stream().map(c -> c.splits().test()).toList();
    }

    private EvalScores evaluate(EvaluationTarget target, List<List<InstructionExample>> examples, int round,
            RoundPhase phase) {
        PhaseWork work = new PhaseWork(listener, round, phase, evaluator.units(examples));
        EvalScores scores = evaluator.evaluate(target, server.strategy().plan(), server.adapterLora(),
                server.emulatorLora(), examples, work);
        work.finish();
        return scores;
    }

    /** Losses weighted by the samples of the aggregated updates; skipped batches of every update that arrived. */
    private static TrainingStats training(List<ClientUpdate> updates, AggregationOutcome agg) {
        double lossSum = 0;
        double proxSum = 0;
        double weight = 0;
        int skipped = 0;
        for (ClientUpdate u : updates) {
            skipped += (int) u.metric(ClientUpdate.SKIPPED_BATCHES);
            if (agg.accepted().contains(u.clientId())) {
                lossSum += u.samples() * u.metric(ClientUpdate.TRAIN_LOSS);
                proxSum += u.samples() * u.metric(ClientUpdate.PROXIMAL);
                weight += u.samples();
            }
        }
        return new TrainingStats(agg.samples(), weight == 0 ? Double.NaN : lossSum / weight,
                weight == 0 ? Double.NaN : proxSum / weight, skipped);
    }

    private RoundCost cost(long t0) {
        return RoundCost.measure(t0, nanoClock.getAsLong());
    }
}
