/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

/** How the training examples are split into federated clients. */
public enum Partitioning {
    /** Shuffled with the seed, then dealt round-robin to {@code numClients} clients of (almost) equal size. */
    IID,
    /** One client per distinct value of an example metadata field (a non-iid federation). */
    METADATA
}
