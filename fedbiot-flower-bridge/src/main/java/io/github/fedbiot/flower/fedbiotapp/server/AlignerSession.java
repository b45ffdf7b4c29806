/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.algorithm.AggregationOutcome;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.InvalidUpdateException;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.algorithm.UpdateValidator;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.InstructionDatasetLoader;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.flower.fedbiotapp.FedBiOTRecords;
import io.github.fedbiot.runtime.FederationSetup;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FedBiOT run on the server side of a Flower federation: the full model, the layer plan, the public data and
 * the emulator LoRA, driven by {@link FedBiOTServer} in the order the ServerApp calls it.
 *
 * <p>The order is: {@link #initialState()}, {@link #preAlign()} (R0 x E steps, once), then per round
 * {@link #roundConfig(int)} before the broadcast and, with the round's client updates,
 * {@link #align(int, List, int)} (aggregate, then E steps against the aggregate; the result is broadcast in the
 * next round), and {@link #finish(int, List, int)} with the last round's updates. Seeds and the public-data order
 * are those of the in-process simulation, so a Flower run draws the same batches.
 *
 * <p>The updates take the simulation's one validated round path, {@link FedBiOTServer#aggregate}: each is checked
 * by {@link UpdateValidator} (no unknown or missing tensor, the global adapter's shapes, finite values, a sample
 * count within one round of the clients' settings; any sender id), a rejected one is left out and reported, and
 * the accepted ones are averaged weighted by their sample counts. A round with fewer accepted updates than the
 * caller's minimum is refused with {@link InvalidUpdateException} listing the rejections. A call out of order
 * throws {@link CallOrderException}, a bad argument {@link IllegalArgumentException}; none of these changes the
 * state. Calls are serialised, as they share the model.
 */
public final class AlignerSession {
    private static final Logger logger = LoggerFactory.getLogger(AlignerSession.class);

    private final FedbiotConfig config;
    private final FedBiOTServer server;
    private final AlignerOutput output;
    private final NamedTensors initialAdapter;
    private final Map<Integer, NamedTensors> emulatorForRound = new ConcurrentHashMap<>();
    private final Map<Integer, NamedTensors> aggregatedAdapter = new ConcurrentHashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private boolean preAligned;
    private int lastAlignedRound = 1;

    private AlignerSession(FedbiotConfig config, FedBiOTServer server, AlignerOutput output) {
        this.config = config;
        this.server = server;
        this.output = output;
        this.initialAdapter = server.adapterLora();
        if (server.strategy().preAlignSteps() == 0) {
            preAligned = true;
            emulatorForRound.put(1, server.emulatorLora());
        }
    }

    /**
     * Sets up a run: the parts {@link FederationSetup} builds from the configuration on the model (strategy, LoRA,
     * public-data stream, server, and the update validator, for any sender id) and the public data file.
     *
     * @param config the server's configuration (paths resolved): algorithm, plan, LoRA, optimizer, server and
     *     client sections, {@code data.public}, seed and rounds
     * @param model the full model (owned by the caller)
     * @param output where {@link #finish(int, List, int)} writes the final LoRA
     * @return the session
     * @throws ConfigException if the configuration does not fit the model or names no usable public data
     */
    public static AlignerSession create(FedbiotConfig config, BaseModel model, AlignerOutput output) {
        FederationSetup setup = new FederationSetup(config, model);
        ExampleStream<TokenizedExample> publicStream = null;
        if (setup.strategy().aligns()) {
            ConfigException.require(!config.data().publicData().isEmpty(), "data.public", "(empty)",
                    "must name the public data file: " + config.algorithm() + " aligns the emulator on the server");
            publicStream = setup.publicStream(InstructionDatasetLoader.load(config.data().publicData(),
                    config.data().publicFormat()));
        }
        // Any sender id: over Flower the ids are node ids the SuperLink assigns, unknown before the run.
        FedBiOTServer server = setup.server(publicStream, setup.validator(Set.of()));
        return new AlignerSession(config, server, Objects.requireNonNull(output, "output"));
    }

    /** Returns what the session runs, for logs. @return e.g. {@code fedbiot, 3 layers, adapter [3], ...} */
    public String describe() {
        TrainingStrategy s = server.strategy();
        return s.algorithm().id() + ", " + s.plan().compressedStack().size() + " layers, adapter " + s.adapterLayers()
                + ", emulator LoRA on " + s.emulatorLoraLayers().size() + " layers";
    }

    /** Returns the initial state the ServerApp starts from. @return the state */
    public synchronized InitialState initialState() {
        return new InitialState(server.adapterLora(), server.emulatorLora(), config.federation().rounds(),
                config.algorithm().id());
    }

    /**
     * Pre-aligns the emulator (once, before round 1). Without pre-alignment steps it hands back the initial
     * emulator, as often as asked.
     *
     * @return the emulator of round 1
     * @throws CallOrderException if pre-alignment already ran
     */
    public synchronized AlignStep preAlign() {
        if (preAligned) {
            if (server.strategy().preAlignSteps() == 0) {
                return new AlignStep(server.emulatorLora(), null);
            }
            throw new CallOrderException("pre-alignment already ran (it runs once, before round 1)");
        }
        logger.info("pre-aligning the emulator for {} steps", server.strategy().preAlignSteps());
        AlignResult r = server.preAlign();
        preAligned = true;
        emulatorForRound.put(1, server.emulatorLora());
        return new AlignStep(server.emulatorLora(), r);
    }

    /**
     * Aggregates the client updates of round {@code round - 1} into the global adapter and aligns the emulator to
     * it for round {@code round}.
     *
     * @param round the round whose broadcast the aligned emulator is for (>= 2)
     * @param updates the round's client updates (ids: the senders' node ids)
     * @param minAccepted the fewest accepted updates the round needs (>= 1)
     * @return the aggregation and the emulator of that round
     * @throws IllegalArgumentException if the round is below 2 or {@code minAccepted} below 1
     * @throws InvalidUpdateException listing the rejections if fewer than {@code minAccepted} updates pass
     * @throws CallOrderException before pre-alignment, or if the round was already aligned
     */
    public synchronized AlignedRound align(int round, List<ClientUpdate> updates, int minAccepted) {
        if (round < 2) {
            throw new IllegalArgumentException("Align is for rounds >= 2 (the emulator of round 1 comes from "
                    + "PreAlign); found round " + round);
        }
        if (!preAligned) {
            throw new CallOrderException("call PreAlign before Align");
        }
        if (round <= lastAlignedRound) {
            throw new CallOrderException("the emulator of round " + round + " was already aligned (last aligned "
                    + "round " + lastAlignedRound + ")");
        }
        AggregationOutcome aggregation = aggregate(round - 1, updates, minAccepted, proposed -> { });
        aggregatedAdapter.put(round - 1, aggregation.adapterLora());
        AlignResult r = server.alignForRound(round);
        lastAlignedRound = round;
        emulatorForRound.put(round, server.emulatorLora());
        return new AlignedRound(aggregation, new AlignStep(server.emulatorLora(), r));
    }

    /**
     * Returns the clients' settings of a round as Flower config entries: the {@code fedbiot-*} keys and the run's
     * root seed ({@link FedBiOTRecords#RUN_SEED}).
     *
     * @param round the round, from 1
     * @return key to Long, Double, Boolean or a list of Longs or Strings, in a fixed order
     * @throws IllegalArgumentException if the round is below 1
     */
    public synchronized Map<String, Object> roundConfig(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("rounds start at 1; found " + round);
        }
        Map<String, Object> entries = new LinkedHashMap<>(FedBiOTRecords.configEntries(server.message(round).config()));
        entries.put(FedBiOTRecords.RUN_SEED, config.seed());
        return entries;
    }

    /**
     * Aggregates the last round's client updates into the final adapter, writes the result to the output and ends
     * the run.
     *
     * @param rounds the rounds the federation ran (the updates are that round's)
     * @param updates the round's client updates (ids: the senders' node ids)
     * @param minAccepted the fewest accepted updates the round needs (>= 1)
     * @return the aggregation and the directory written to (empty when the output writes nothing)
     * @throws IllegalArgumentException if {@code minAccepted} is below 1
     * @throws InvalidUpdateException listing the rejections if fewer than {@code minAccepted} updates pass
     * @throws CallOrderException if the run already finished, or the final adapter is the initial one (no round
     *     changed it)
     */
    public synchronized FinishedRun finish(int rounds, List<ClientUpdate> updates, int minAccepted) {
        if (isFinished()) {
            throw new CallOrderException("the run already finished");
        }
        AggregationOutcome aggregation = aggregate(rounds, updates, minAccepted, proposed -> {
            if (proposed.adapterLora().maxAbsDiff(initialAdapter) == 0) {
                throw new CallOrderException("the final adapter LoRA is the initial one: no round was aggregated "
                        + "into it, so no final adapter is written");
            }
        });
        aggregatedAdapter.put(rounds, aggregation.adapterLora());
        Optional<Path> written = output.write(config.algorithm().id(), rounds, aggregation.adapterLora(),
                server.emulatorLora());
        logger.info("federation finished after {} rounds{}", rounds,
                written.map(d -> "; adapter and emulator LoRA written to " + d).orElse(""));
        finished.countDown();
        return new FinishedRun(aggregation, written);
    }

    /**
     * Returns the emulator LoRA handed out for a round's broadcast (round 1: after pre-alignment).
     *
     * @param round the round
     * @return the tensors, or null if none was handed out for that round
     */
    public NamedTensors emulatorForRound(int round) {
        return emulatorForRound.get(round);
    }

    /**
     * Returns the aggregate of a round's updates that became the global adapter ({@code align} of round + 1, or
     * {@code finish} for the last round).
     *
     * @param round the round whose aggregate it is
     * @return the tensors, or null if none was accepted
     */
    public NamedTensors aggregatedAdapter(int round) {
        return aggregatedAdapter.get(round);
    }

    /**
     * Waits until {@link #finish(int, List, int)} succeeded.
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return whether it did
     * @throws InterruptedException if interrupted
     */
    public boolean awaitFinish(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /** Returns whether {@link #finish(int, List, int)} succeeded. @return true once finished */
    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    /**
     * Runs the simulation's round path on the updates; a round short of {@code minAccepted} leaves the global
     * adapter as it was.
     */
    private AggregationOutcome aggregate(int round, List<ClientUpdate> updates, int minAccepted,
            Consumer<AggregationOutcome> alsoCheck) {
        if (minAccepted < 1) {
            throw new IllegalArgumentException("a round needs at least one accepted update; found min accepted "
                    + minAccepted);
        }
        return server.aggregate(round, updates, proposed -> {
            if (proposed.accepted().size() < minAccepted) {
                throw new InvalidUpdateException("aggregate of round " + round, proposed.accepted().size() + " of "
                        + updates.size() + " updates accepted, fewer than the " + minAccepted
                        + " required (min-replies)" + new TreeMap<>(proposed.rejected()).values().stream()
                                .map(r -> "; " + r).collect(Collectors.joining()));
            }
            alsoCheck.accept(proposed);
        });
    }
}
