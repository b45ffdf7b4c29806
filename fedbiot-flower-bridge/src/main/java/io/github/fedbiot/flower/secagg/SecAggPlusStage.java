/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

/** The four stages of SecAgg+, in protocol order, by their wire names ({@code secaggplus_constants.Stage}). */
public enum SecAggPlusStage {
    /** Receive the parameters, answer two public keys. */
    SETUP("setup"),
    /** Receive the neighbours' public keys, answer encrypted shares of the mask seed and of the first key. */
    SHARE_KEYS("share_keys"),
    /** Receive the shares meant for this node and the fit instruction, answer the masked update. */
    COLLECT_MASKED_VECTORS("collect_masked_vectors"),
    /** Receive the surviving and dropped neighbours, answer the shares that unmask the sum. */
    UNMASK("unmask");

    private final String wireName;

    SecAggPlusStage(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name the ServerApp sends under {@code stage}. @return e.g. {@code share_keys} */
    public String wireName() {
        return wireName;
    }

    /** Returns the stage that must follow this one. @return the next stage ({@link #SETUP} after unmask) */
    public SecAggPlusStage next() {
        return values()[(ordinal() + 1) % values().length];
    }

    /**
     * Returns the stage of a wire name.
     *
     * @param name the name
     * @return the stage
     * @throws IllegalArgumentException if no stage has that name
     */
    public static SecAggPlusStage fromWireName(String name) {
        for (SecAggPlusStage s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown SecAgg+ stage: '" + name + "'");
    }
}
