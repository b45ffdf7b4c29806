/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.StepObserver;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FedBiOT server: owns the global adapter LoRA and the emulator LoRA, builds each round's
 * {@link RoundMessage}, validates and aggregates the client updates, and aligns the emulator to the full model
 * on public data:
 * <pre>
 *   min_{W_E}  NL2(h_E(x; W_E), h_T(x)) + lambda * KL( M(x; W_A) || C(x; W_E, W_A) ),   x ~ public data
 * </pre>
 * where {@code h_E}/{@code h_T} are the emulator's and the teacher's outputs for the same input hidden state,
 * {@code M} is the full model with the current adapter and {@code C} the compressed model. Only the emulator
 * LoRA is trained; a fresh AdamW state is used each time (paper Eq. 2; the reference code's
 * {@code OTTrainer_server}).
 *
 * @see <a href="https://arxiv.org/abs/2406.17706">FedBiOT (KDD 2024)</a>
 */
public final class FedBiOTServer {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTServer.class);

    private final BaseModel model;
    private final TrainingStrategy strategy;
    private final ServerSettings settings;
    private final ExampleStream<TokenizedExample> publicData;
    private final StepBatches batches;
    private final Aggregator aggregator;
    private final UpdateValidator validator;
    private NamedTensors adapterLora;
    private NamedTensors emulatorLora;

    /**
     * Creates a server with freshly initialised LoRA (A Kaiming-uniform, B zero: the model starts unchanged).
     *
     * @param model the shared model
     * @param strategy the algorithm's use of the round machinery
     * @param settings the resolved settings (seed, client round settings, alignment)
     * @param publicData the public examples as a stream (may be null when the strategy never aligns)
     * @param collator packs examples into batches
     * @param aggregator combines updates
     * @param validator checks updates
     */
    public FedBiOTServer(BaseModel model, TrainingStrategy strategy, ServerSettings settings,
            ExampleStream<TokenizedExample> publicData, BatchCollator collator, Aggregator aggregator,
            UpdateValidator validator) {
        if (publicData == null && strategy.aligns()) {
            throw new IllegalArgumentException(strategy.algorithm() + " aligns the emulator and needs public data");
        }
        this.model = model;
        this.strategy = strategy;
        this.settings = settings;
        this.publicData = publicData;
        this.batches = new StepBatches(collator);
        this.aggregator = aggregator;
        this.validator = validator;
        this.adapterLora = LoraInit.create(model.spec(), settings.lora(), strategy.adapterLayers(),
                SeedStream.ADAPTER_INIT.derive(settings.runSeed()));
        this.emulatorLora = LoraInit.create(model.spec(), settings.lora(), strategy.emulatorLoraLayers(),
                SeedStream.EMULATOR_INIT.derive(settings.runSeed()));
    }

    /** Returns the global adapter LoRA. @return the tensors */
    public NamedTensors adapterLora() {
        return adapterLora;
    }

    /** Returns the emulator LoRA (empty when the emulator has none). @return the tensors */
    public NamedTensors emulatorLora() {
        return emulatorLora;
    }

    /** Returns the public data stream, or null. @return the stream */
    public ExampleStream<TokenizedExample> publicData() {
        return publicData;
    }

    /** Returns the strategy. @return the strategy */
    public TrainingStrategy strategy() {
        return strategy;
    }

    /** Returns the resolved settings. @return the settings */
    public ServerSettings settings() {
        return settings;
    }

    /**
     * Replaces the state when resuming from a checkpoint (a round's updates arrive through {@link #aggregate}).
     *
     * @param adapter the global adapter LoRA, with the layout of the fresh one
     * @param emulator the emulator LoRA, with the layout of the fresh one
     * @throws IllegalArgumentException if a layout differs
     */
    public void restore(NamedTensors adapter, NamedTensors emulator) {
        adapterLora.requireSameLayout(adapter, "checkpoint adapter LoRA");
        emulatorLora.requireSameLayout(emulator, "checkpoint emulator LoRA");
        this.adapterLora = adapter;
        this.emulatorLora = emulator;
    }

    /**
     * Builds the broadcast of a round.
     *
     * @param round the round, from 1
     * @return the message
     */
    public RoundMessage message(int round) {
        return new RoundMessage(round, adapterLora, emulatorLora, settings.roundConfig(round));
    }

    /**
     * Validates the updates, aggregates the valid ones into the global adapter LoRA and logs the rejected ones.
     *
     * @param round the round, for messages
     * @param updates the updates received
     * @return what was aggregated and what was rejected
     */
    public AggregationOutcome aggregate(int round, List<ClientUpdate> updates) {
        return aggregate(round, updates, proposed -> { });
    }

    /**
     * Validates and aggregates as {@link #aggregate(int, List)}, but makes the aggregate the global adapter only if
     * {@code check} accepts it: a caller that needs a quorum (the Flower aligner's min-replies) refuses the round
     * by throwing, and the server's state is then as before the call.
     *
     * @param round the round, for messages
     * @param updates the updates received
     * @param check sees the proposed outcome before it is taken; throws to refuse it
     * @return what was aggregated and what was rejected
     */
    public AggregationOutcome aggregate(int round, List<ClientUpdate> updates, Consumer<AggregationOutcome> check) {
        List<ClientUpdate> valid = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        long samples = 0;
        for (ClientUpdate u : updates) {
            try {
                validator.validate(u, adapterLora);
                if (accepted.contains(u.clientId())) {
                    throw new InvalidUpdateException(u.clientId(), "second update in the same round");
                }
                valid.add(u);
                accepted.add(u.clientId());
                samples += u.samples();
            } catch (InvalidUpdateException e) {
                logger.warn("[round {}] {}", round, e.getMessage());
                rejected.put(u.clientId(), e.getMessage());
            }
        }
        AggregationOutcome outcome = new AggregationOutcome(aggregator.aggregate(adapterLora, valid), accepted,
                rejected, samples);
        check.accept(outcome);
        adapterLora = outcome.adapterLora();
        logger.info("[round {}] aggregated {} updates ({} examples), rejected {}", round, valid.size(), samples,
                rejected.size());
        return outcome;
    }

    /**
     * Pre-aligns the emulator before round 1: the strategy's {@code R0 * E} steps, by default as R0 blocks of E
     * steps each with a fresh optimizer state (the reference code calls its server trainer R0 times), or as one
     * block when {@code server.pre_align_fresh_optimizer} is false. Block {@code b > 0} draws its LoRA
     * dropout masks from {@link SeedStream#PRE_ALIGN_BLOCK}{@code .derive(seed, b)}; block 0 from {@code seed}.
     *
     * @param seed the seed of the LoRA dropout masks
     * @return the statistics of all blocks together (means weighted by steps), or null when nothing ran
     */
    public AlignResult preAlign(long seed) {
        return preAlign(seed, StepObserver.NONE);
    }

    private AlignResult preAlign(long seed, StepObserver observer) {
        int total = strategy.preAlignSteps();
        if (total <= 0 || emulatorLora.isEmpty()) {
            return null;
        }
        int block = Math.max(1, Math.min(total, settings.alignment().preAlignBlockSteps()));
        int steps = 0;
        int skipped = 0;
        double nl2 = 0;
        double kl = 0;
        for (int b = 0, done = 0; done < total; b++, done += block) {
            long blockSeed = b == 0 ? seed : SeedStream.PRE_ALIGN_BLOCK.derive(seed, b);
            AlignResult r = align(Math.min(block, total - done), blockSeed, observer);
            steps += r.steps();
            skipped += r.skippedBatches();
            nl2 += r.meanNl2() * r.steps();
            kl += r.meanKl() * r.steps();
        }
        return new AlignResult(emulatorLora, steps, steps == 0 ? Double.NaN : nl2 / steps,
                steps == 0 ? Double.NaN : kl / steps, skipped);
    }

    /**
     * Pre-aligns the emulator with the run's round-0 {@link SeedStream#ALIGN} seed (see {@link #preAlign(long)}).
     *
     * @return the statistics, or null when nothing ran
     */
    public AlignResult preAlign() {
        return preAlign(StepObserver.NONE);
    }

    /**
     * Pre-aligns as {@link #preAlign()} does, reporting each alignment step.
     *
     * @param observer told after each step
     * @return the statistics, or null when nothing ran
     */
    public AlignResult preAlign(StepObserver observer) {
        return preAlign(SeedStream.ALIGN.derive(settings.runSeed(), 0), observer);
    }

    /**
     * Aligns the emulator before a round's broadcast: the strategy's E steps with the round's
     * {@link SeedStream#ALIGN} seed, against the current global adapter.
     *
     * @param round the round, from 2
     * @return the statistics, or null when the strategy does not align every round
     */
    public AlignResult alignForRound(int round) {
        return alignForRound(round, StepObserver.NONE);
    }

    /**
     * Aligns as {@link #alignForRound(int)} does, reporting each alignment step.
     *
     * @param round the round, from 2
     * @param observer told after each step
     * @return the statistics, or null when the strategy does not align every round
     */
    public AlignResult alignForRound(int round, StepObserver observer) {
        return align(strategy.alignSteps(), SeedStream.ALIGN.derive(settings.runSeed(), round), observer);
    }

    /**
     * Aligns the emulator LoRA to the full model for some steps on the next public batches.
     *
     * @param steps optimizer steps (0: nothing happens)
     * @param seed the seed of the LoRA dropout masks
     * @return the alignment statistics, or null when no step was requested or the emulator has no LoRA
     */
    public AlignResult align(int steps, long seed) {
        return align(steps, seed, StepObserver.NONE);
    }

    private AlignResult align(int steps, long seed, StepObserver observer) {
        if (steps <= 0 || emulatorLora.isEmpty()) {
            return null;
        }
        AlignmentSettings s = settings.alignment();
        AlignResult r = model.alignEmulator(new AlignRequest(strategy.plan(), settings.lora(), adapterLora,
                emulatorLora, batches.draw(publicData, steps, s.gradAccum(), s.batchSize()), s.optimizer(),
                s.klWeight(), seed, observer));
        emulatorLora.requireSameLayout(r.emulatorLora(), "aligned emulator LoRA");
        if (!r.emulatorLora().isFinite()) {
            logger.warn("alignment produced non-finite emulator LoRA; keeping the previous emulator");
            return new AlignResult(emulatorLora, r.steps(), r.meanNl2(), r.meanKl(), r.skippedBatches());
        }
        emulatorLora = r.emulatorLora();
        logger.info("aligned the emulator for {} steps: NL2 {}, KL {}, {} skipped batches", r.steps(), r.meanNl2(),
                r.meanKl(), r.skippedBatches());
        return r;
    }
}
