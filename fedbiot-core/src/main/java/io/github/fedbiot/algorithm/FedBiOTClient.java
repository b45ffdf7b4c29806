/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.StepObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FedBiOT client: holds only its data and, while training, its copy of the adapter LoRA; the frozen model is
 * shared. Each round it trains the adapter LoRA of the compressed model (emulator LoRA applied, frozen) for the
 * message's local steps, each accumulating {@code gradAccum} micro-batches, on the loss
 * <pre>
 *   CE(response tokens) + mu * sum_modules || merged(A) - merged(A_round_start) ||_F^2
 * </pre>
 * with a real gradient for the proximal term (the reference code's has none) and a fresh AdamW state, and
 * returns the trained adapter LoRA with the number of examples it processed.
 */
public final class FedBiOTClient {
    private static final Logger logger = LoggerFactory.getLogger(FedBiOTClient.class);

    private final String id;
    private final BaseModel model;
    private final ExampleStream<TokenizedExample> data;
    private final StepBatches batches;
    private final UpdateTransform transform;

    /**
     * Creates a client that sends its updates as trained.
     *
     * @param id the client id
     * @param model the shared model
     * @param data the client's training examples as an endless seeded stream
     * @param collator packs examples into batches
     */
    public FedBiOTClient(String id, BaseModel model, ExampleStream<TokenizedExample> data, BatchCollator collator) {
        this(id, model, data, collator, UpdateTransform.NONE);
    }

    /**
     * Creates a client whose updates pass through a transform before they are sent (clipping, local noise).
     *
     * @param id the client id
     * @param model the shared model
     * @param data the client's training examples as an endless seeded stream
     * @param collator packs examples into batches
     * @param transform applied to each trained update
     */
    public FedBiOTClient(String id, BaseModel model, ExampleStream<TokenizedExample> data, BatchCollator collator,
            UpdateTransform transform) {
        this.id = id;
        this.model = model;
        this.data = data;
        this.batches = new StepBatches(collator);
        this.transform = transform;
    }

    /** Returns the client id. @return the id */
    public String id() {
        return id;
    }

    /** Returns the client's data stream (its position is saved in checkpoints). @return the stream */
    public ExampleStream<TokenizedExample> data() {
        return data;
    }

    /**
     * Trains one round.
     *
     * @param message the server's broadcast
     * @return the update to send back
     */
    public ClientUpdate train(RoundMessage message) {
        return train(message, StepObserver.NONE);
    }

    /**
     * Trains one round, reporting each optimizer step.
     *
     * @param message the server's broadcast
     * @param observer told after each local step
     * @return the update to send back
     */
    public ClientUpdate train(RoundMessage message, StepObserver observer) {
        ClientRoundConfig c = message.config();
        List<List<Batch>> steps = batches.draw(data, c.localSteps(), c.gradAccum(), c.batchSize());
        long seed = Seeds.derive(c.seed(), id);
        LocalTrainResult r = model.trainLocal(new LocalTrainRequest(c.stack(), c.lora(), message.emulatorLora(),
                message.adapterLora(), steps, c.optimizer(), c.proximalWeight(), c.proximalGradient(), seed, observer));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(ClientUpdate.TRAIN_LOSS, r.meanLoss());
        metrics.put(ClientUpdate.PROXIMAL, r.meanProximal());
        metrics.put(ClientUpdate.SKIPPED_BATCHES, (double) r.skippedBatches());
        metrics.put(ClientUpdate.STEPS, (double) r.steps());
        logger.debug("[client {}] round {}: loss {}, proximal {}, {} samples, {} skipped batches", id, message.round(),
                r.meanLoss(), r.meanProximal(), r.samples(), r.skippedBatches());
        return transform.apply(message, new ClientUpdate(id, r.samples(), r.trainedLora(), metrics));
    }
}
