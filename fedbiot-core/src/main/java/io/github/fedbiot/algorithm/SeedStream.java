/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

/**
 * The purposes a run draws random numbers for, each an independent stream derived from the run seed with
 * {@link Seeds}. Every purpose keeps the label it has always been derived with, so runs, checkpoints and golden
 * values from before the purposes were typed draw exactly the same numbers.
 */
public enum SeedStream {
    /** Dividing the training file among the clients. */
    PARTITION("partition"),
    /** Dividing one client's share into training, validation and test examples (per client). */
    SPLIT("split"),
    /** Dividing a separate test file among the clients. */
    TEST_PARTITION("test-partition"),
    /** The initial global adapter LoRA. */
    ADAPTER_INIT("adapter-init"),
    /** The initial emulator LoRA. */
    EMULATOR_INIT("emulator-init"),
    /** The order of the public examples the server aligns on. */
    PUBLIC_DATA("public-data"),
    /** The order of a client's training examples (per client). */
    CLIENT_DATA("client-data"),
    /** The dropout masks of an alignment (per round; round 0 is the pre-alignment). */
    ALIGN("align"),
    /** The dropout masks of pre-alignment block {@code b > 0}, derived from the round-0 {@link #ALIGN} seed. */
    PRE_ALIGN_BLOCK("pre-align-block"),
    /** A round's client training seed, sent in the broadcast; each client mixes in its id. */
    CLIENT_TRAIN("client-train"),
    /** Which clients a round samples (per round). */
    SAMPLING("sampling"),
    /** Whether a sampled client drops out (per client and round). */
    DROPOUT("dropout");

    private final String label;

    SeedStream(String label) {
        this.label = label;
    }

    /** Returns the label the stream is derived with (also its key in a checkpoint's seed record). @return it */
    public String label() {
        return label;
    }

    /**
     * Derives this stream's seed.
     *
     * @param root the run seed (or, for {@link #PRE_ALIGN_BLOCK}, the pre-alignment seed)
     * @param parts further numbers, e.g. the round
     * @return the seed
     */
    public long derive(long root, long... parts) {
        return Seeds.derive(root, label, parts);
    }

    /**
     * Derives this stream's seed for one client.
     *
     * @param root the run seed
     * @param clientId the client id
     * @param round the round (0 for streams that span the run)
     * @return the seed
     */
    public long forClient(long root, String clientId, long round) {
        return Seeds.forClient(root, label, clientId, round);
    }
}
