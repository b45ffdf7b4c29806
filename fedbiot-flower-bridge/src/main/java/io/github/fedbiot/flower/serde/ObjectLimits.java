/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

/**
 * Limits on what a node accepts from the SuperLink; an instruction over a limit is answered with an error reply.
 *
 * @param maxObjectBytes the largest single object (head + body)
 * @param maxMessageBytes the largest total of all objects of one message
 * @param maxObjects the most objects one message may consist of
 */
public record ObjectLimits(long maxObjectBytes, long maxMessageBytes, int maxObjects) {
    /** Defaults: 64 MiB per object (Flower sends at most 5 MiB chunks), 2 GiB per message, 1,000,000 objects. */
    public static final ObjectLimits DEFAULT = new ObjectLimits(64L << 20, 2L << 30, 1_000_000);

    /** Checks the limits are positive. */
    public ObjectLimits {
        if (maxObjectBytes <= 0 || maxMessageBytes <= 0 || maxObjects <= 0) {
            throw new IllegalArgumentException("object limits must be > 0, got maxObjectBytes=" + maxObjectBytes
                    + ", maxMessageBytes=" + maxMessageBytes + ", maxObjects=" + maxObjects);
        }
    }
}
