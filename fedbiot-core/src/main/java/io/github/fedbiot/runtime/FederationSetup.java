/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.Aggregator;
import io.github.fedbiot.algorithm.Aggregators;
import io.github.fedbiot.algorithm.ClientRoundConfig;
import io.github.fedbiot.algorithm.FedBiOTClient;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.ModelEvaluator;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.algorithm.SeedStream;
import io.github.fedbiot.algorithm.ServerSettings;
import io.github.fedbiot.algorithm.StepBatches;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.algorithm.UpdateTransform;
import io.github.fedbiot.algorithm.UpdateValidator;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.InstructionEncoder;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.PromptTemplates;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.privacy.ClientLevelDp;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the parts of a federation from a configuration and the loaded model, the same way wherever they run:
 * in one JVM ({@link FederatedSimulation}), on a Flower server (the emulator aligner) or on a Flower node (the
 * client app). It resolves the strategy, the LoRA spec mapped to the model's architecture, the encoder and
 * collator once, and seeds every data stream from the run seed through {@link SeedStream}, so the parts built
 * in different processes draw the same numbers.
 *
 * <pre>{@code
 * FederationSetup setup = new FederationSetup(config, model);
 * FedBiOTServer server = setup.server(setup.publicStream(publicExamples), setup.validator(clientIds));
 * FedBiOTClient client = setup.client("client-00", setup.encodeTraining("client-00", trainExamples));
 * }</pre>
 */
public final class FederationSetup {
    private final FedbiotConfig config;
    private final BaseModel model;
    private final TrainingStrategy strategy;
    private final LoraSpec lora;
    private final InstructionEncoder encoder;
    private final BatchCollator collator;
    private final ServerSettings serverSettings;
    private final ClientLevelDp privacy;

    /**
     * Resolves the federation of a configuration on a model, with {@code data.clients} clients.
     *
     * @param config the configuration (paths resolved)
     * @param model the shared model (owned by the caller)
     * @throws ConfigException if the configuration does not fit the model (layer plan, LoRA targets, context
     *     length) or a batch does not fit in this machine's memory
     */
    public FederationSetup(FedbiotConfig config, BaseModel model) {
        this(config, model, config.data().clients());
    }

    /**
     * Resolves the federation of a configuration on a model.
     *
     * @param config the configuration (paths resolved)
     * @param model the shared model (owned by the caller)
     * @param population the number of clients (the sampling rate of the privacy accounting is sampled / this)
     * @throws ConfigException if the configuration does not fit the model (layer plan, LoRA targets)
     */
    public FederationSetup(FedbiotConfig config, BaseModel model, int population) {
        this.config = Objects.requireNonNull(config, "config");
        this.model = Objects.requireNonNull(model, "model");
        ModelFit.ofThisMachine().check(config, model.spec());
        this.strategy = TrainingStrategy.of(config, model.spec().numLayers());
        this.lora = config.lora().forArchitecture(model.spec().architecture());
        this.encoder = new InstructionEncoder(model.tokenizer(), config.data().maxLength(),
                PromptTemplates.resolve(config.data().promptTemplate(), model.tokenizer()));
        this.collator = new BatchCollator(model.tokenizer().padId());
        this.serverSettings = ServerSettings.of(config, strategy, lora);
        this.privacy = config.privacy().enabled()
                ? new ClientLevelDp(config.privacy(), sampler().sampleSize(population), population) : null;
    }

    /**
     * Returns the run's differential privacy (the {@code privacy} section), shared by the server and the clients
     * this setup builds.
     *
     * @return the mechanism, empty when {@code privacy.mechanism} is {@code none}
     */
    public Optional<ClientLevelDp> privacy() {
        return Optional.ofNullable(privacy);
    }

    /** Returns the configuration. @return it */
    public FedbiotConfig config() {
        return config;
    }

    /** Returns the shared model. @return it */
    public BaseModel model() {
        return model;
    }

    /** Returns the run's root seed. @return the seed */
    public long runSeed() {
        return config.seed();
    }

    /** Returns the algorithm's strategy on this model. @return the strategy */
    public TrainingStrategy strategy() {
        return strategy;
    }

    /** Returns the LoRA spec mapped to the model's architecture. @return the spec */
    public LoraSpec lora() {
        return lora;
    }

    /** Returns the encoder ({@code data.max_length}, {@code data.prompt_template}). @return the encoder */
    public InstructionEncoder encoder() {
        return encoder;
    }

    /** Returns the collator (the tokenizer's pad id). @return the collator */
    public BatchCollator collator() {
        return collator;
    }

    /** Returns the server's resolved settings. @return the settings */
    public ServerSettings serverSettings() {
        return serverSettings;
    }

    /**
     * Encodes the public examples into the stream the server aligns on, seeded with
     * {@link SeedStream#PUBLIC_DATA}.
     *
     * @param examples the public examples
     * @return the stream, or null when the strategy never aligns (the examples are then not encoded)
     * @throws ConfigException if the strategy aligns and no example has response tokens within
     *     {@code data.max_length}
     */
    public ExampleStream<TokenizedExample> publicStream(List<InstructionExample> examples) {
        if (!strategy.aligns()) {
            return null;
        }
        List<TokenizedExample> pub = encoder.encodeAll(examples);
        if (pub.isEmpty()) {
            throw new ConfigException("data.public", config.algorithm() + " aligns the emulator and needs public "
                    + "examples with response tokens within data.max_length = " + config.data().maxLength()
                    + " (found none among " + examples.size() + ")");
        }
        return new ExampleStream<>(pub, SeedStream.PUBLIC_DATA.derive(runSeed()));
    }

    /**
     * Returns the validator of client updates: only the given ids, at most the examples one round of
     * {@code client.local_steps x grad_accum x batch_size} processes.
     *
     * @param clientIds the ids allowed to send updates (empty: any id)
     * @return the validator
     */
    public UpdateValidator validator(Collection<String> clientIds) {
        ClientRoundConfig c = serverSettings.clientRound();
        // saturates: a round that would process more than 2^31 - 1 examples accepts any count up to that
        return new UpdateValidator(new HashSet<>(clientIds),
                (int) Math.min(Integer.MAX_VALUE, StepBatches.examples(c.localSteps(), c.gradAccum(), c.batchSize())));
    }

    /**
     * Builds the server (the aggregator of {@code server.aggregator}, made differentially private by
     * {@link #privacy()} when configured) with freshly initialised LoRA.
     *
     * @param publicData the stream of {@link #publicStream}, null when the strategy never aligns
     * @param validator checks the client updates
     * @return the server
     */
    public FedBiOTServer server(ExampleStream<TokenizedExample> publicData, UpdateValidator validator) {
        Aggregator aggregator = Aggregators.of(config.server().aggregation());
        if (privacy != null) {
            aggregator = privacy.aggregator(aggregator);
        }
        return new FedBiOTServer(model, strategy, serverSettings, publicData, collator, aggregator, validator);
    }

    /**
     * Encodes a client's training examples.
     *
     * @param clientId the client, for the message
     * @param examples its training examples
     * @return the examples with response tokens within {@code data.max_length}
     * @throws FedbiotException if there is none
     */
    public List<TokenizedExample> encodeTraining(String clientId, List<InstructionExample> examples) {
        List<TokenizedExample> train = encoder.encodeAll(examples);
        if (train.isEmpty()) {
            throw new FedbiotException("client " + clientId + " has no training example with response tokens within "
                    + "data.max_length = " + config.data().maxLength() + " (" + examples.size() + " examples read)");
        }
        return train;
    }

    /**
     * Builds a client whose data stream starts at the beginning of this run's order.
     *
     * @param clientId the client id
     * @param train its encoded training examples
     * @return the client
     */
    public FedBiOTClient client(String clientId, List<TokenizedExample> train) {
        return client(clientId, train, runSeed());
    }

    /**
     * Builds a client whose data order derives from a given run seed ({@link SeedStream#CLIENT_DATA}), e.g. the
     * one a Flower server sends.
     *
     * @param clientId the client id
     * @param train its encoded training examples
     * @param runSeed the run seed
     * @return the client, its stream at position 0
     */
    public FedBiOTClient client(String clientId, List<TokenizedExample> train, long runSeed) {
        return new FedBiOTClient(clientId, model, new ExampleStream<>(train,
                SeedStream.CLIENT_DATA.forClient(runSeed, clientId, 0)), collator,
                privacy == null ? UpdateTransform.NONE : privacy.clientTransform());
    }

    /**
     * Builds a client for one round of a run whose clients keep no state between rounds: its stream stands where
     * round {@code message.round()} starts when the client trained every earlier round (as in a simulation
     * sampling every client).
     *
     * @param clientId the client id
     * @param train its encoded training examples
     * @param runSeed the run seed
     * @param message the round's broadcast (its round and step settings)
     * @return the client
     */
    public FedBiOTClient clientForRound(String clientId, List<TokenizedExample> train, long runSeed,
            RoundMessage message) {
        FedBiOTClient client = client(clientId, train, runSeed);
        ClientRoundConfig c = message.config();
        client.data().seek((message.round() - 1L) * StepBatches.examples(c.localSteps(), c.gradAccum(),
                c.batchSize()));
        return client;
    }

    /** Returns the evaluator of AdapEmu / AdapFu ({@code eval} section). @return the evaluator */
    public ModelEvaluator evaluator() {
        return new ModelEvaluator(model, lora, encoder, collator, config.eval());
    }

    /** Returns the sampler of each round's clients and dropouts ({@code federation} section). @return it */
    public ClientSampler sampler() {
        return new ClientSampler(config.federation(), runSeed());
    }
}
