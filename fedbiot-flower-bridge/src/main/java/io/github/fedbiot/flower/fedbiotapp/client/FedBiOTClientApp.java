/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.client;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.data.InstructionDatasetLoader;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.fedbiotapp.FedBiOTRecords;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.runtime.ClientData;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederationSetup;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flower client app that runs the FedBiOT client update on the node's local data: a {@code train} instruction
 * ({@link FedBiOTRecords} layout: adapter LoRA, emulator LoRA, round settings) becomes a {@link RoundMessage},
 * {@link FedBiOTClient} trains the adapter LoRA of the compressed model with the engine (emulator LoRA applied,
 * frozen), and the reply carries the trained adapter LoRA, {@code num-examples} and the training metrics.
 *
 * <pre>{@code
 * FedBiOTClientApp app = FedBiOTClientApp.fromConfig(config, model, 0);   // partition 0 of data.train
 * try (SuperNode node = SuperNode.builder().setSuperlink("http://127.0.0.1:9093").optInsecure(true)
 *         .setClientApp(app.clientApp()).build()) {
 *     node.run();
 * }
 * }</pre>
 */
public final class FedBiOTClientApp {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTClientApp.class);

    private final String clientId;
    private final FederationSetup setup;
    private final List<TokenizedExample> train;
    private final List<BiConsumer<RoundMessage, ClientUpdate>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Creates the app.
     *
     * @param clientId the client id (mixed into the seeds of its data order and LoRA dropout masks)
     * @param model the base model (owned by the caller)
     * @param examples the node's training examples
     * @param config the configuration ({@code data.max_length}, and {@code seed} for servers that send no run
     *     seed); the training settings come from the server with each round
     * @throws FedbiotException if no example fits {@code data.max_length}
     * @throws ConfigException if the configuration's plan or LoRA section does not fit the model, or asks for
     *     adaptive client-side clipping (the node would never learn the aligner's adapted C)
     */
    public FedBiOTClientApp(String clientId, BaseModel model, List<InstructionExample> examples, FedbiotConfig config) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        ConfigException.require(!(config.privacy().adaptive() && config.privacy().clientSide()), "privacy.clipping",
                config.privacy().clipping(), "adaptive clipping on a FedBiOT Flower node must be server-side "
                        + "(privacy.clipping_side: server): the node does not receive the aligner's adapted C");
        this.setup = new FederationSetup(config, model);
        this.train = setup.encodeTraining(clientId, examples);
    }

    /**
     * Creates the app of a node from a configuration whose paths are resolved. Without a partition the node's
     * data is the whole {@code data.train} file (id {@code client}); with one, the file is divided as the
     * simulation divides it ({@code data.partition}, {@code data.clients}, seed) and the node takes the training
     * split of that share (id {@code client-NN}, as in the simulation).
     *
     * @param config the configuration
     * @param model the base model (owned by the caller)
     * @param partitionId the share to take, or null for the whole file
     * @return the app
     * @throws ConfigException if {@code data.train} is missing or the partition does not exist
     */
    public static FedBiOTClientApp fromConfig(FedbiotConfig config, BaseModel model, Integer partitionId) {
        ConfigException.require(!config.data().train().isEmpty(), "data.train", "(empty)",
                "must name the node's local training data");
        List<InstructionExample> all = InstructionDatasetLoader.load(config.data().train(), config.data().format());
        if (partitionId == null) {
            return new FedBiOTClientApp("client", model, all, config);
        }
        FederatedDataset data = FederatedDataset.build(config, all, List.of(), List.of());
        if (partitionId < 0 || partitionId >= data.clients().size()) {
            throw new ConfigException("data.clients", "partition " + partitionId + " does not exist: data.train is "
                    + "divided into " + data.clients().size() + " shares (ids 0.." + (data.clients().size() - 1) + ")");
        }
        ClientData cd = data.clients().get(partitionId);
        logger.info("this node's share of data.train: {}", cd.describe());
        return new FedBiOTClientApp(cd.id(), model, cd.splits().train(), config);
    }

    /** Returns the client id. @return the id */
    public String clientId() {
        return clientId;
    }

    /**
     * Adds a listener called after each round with the instruction received and the update sent.
     *
     * @param listener the listener
     * @return this app
     */
    public FedBiOTClientApp addListener(BiConsumer<RoundMessage, ClientUpdate> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Handles one {@code train} instruction.
     *
     * @param message the instruction
     * @return the reply content
     */
    public RecordDict train(Message message) {
        RoundMessage round = FedBiOTRecords.roundMessage(message.content());
        // The data order derives from the run's seed, as the simulation seeds it, and where round r starts in it
        // from the round, not from what this node trained before (earlier runs, rounds it was not sampled for): as
        // in a simulation where the client trains every round. Building the stream is cheap beside the training.
        long runSeed = FedBiOTRecords.runSeed(message.content()).orElse(setup.runSeed());
        FedBiOTClient client = setup.clientForRound(clientId, train, runSeed, round);
        long t0 = System.nanoTime();
        ClientUpdate update = client.train(round);
        logger.info("[{}] round {}: {} examples, train loss {}, {} s", clientId, round.round(), update.samples(),
                String.format("%.4f", update.metric(ClientUpdate.TRAIN_LOSS)),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        listeners.forEach(l -> l.accept(round, update));
        return FedBiOTRecords.toRecordDict(update);
    }

    /** Returns the Flower client app (handles {@code train}). @return the app */
    public ClientApp clientApp() {
        return ClientApp.builder().optTrain((msg, ctx) -> train(msg)).build();
    }
}
