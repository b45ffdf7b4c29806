/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

/**
 * The LoRA bytes a round moved (float32, as they travel).
 *
 * @param downPerClient bytes the server sent to each sampled client
 * @param upPerClient bytes each completing client sent back
 */
public record Traffic(long downPerClient, long upPerClient) {
    /** Nothing travelled. */
    public static final Traffic NONE = new Traffic(0, 0);
}
