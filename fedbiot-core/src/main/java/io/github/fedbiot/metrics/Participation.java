/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

/**
 * Which clients took part in a round and how it ended for them.
 *
 * @param sampled clients asked to train
 * @param completed clients whose updates arrived in time
 * @param dropped sampled clients that dropped out
 * @param timedOut clients that missed the deadline
 * @param rejected updates rejected by validation
 */
public record Participation(int sampled, int completed, int dropped, int timedOut, int rejected) {
    /** Nobody took part (round 0, the pre-alignment). */
    public static final Participation NONE = new Participation(0, 0, 0, 0, 0);
}
