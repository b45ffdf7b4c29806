/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import io.github.fedbiot.config.PartitionScheme;

/**
 * How the training examples are divided among federated clients (the OLCUT-facing names of fedbiot-core's
 * {@link PartitionScheme}). The category of an example is the metadata field {@code partitionKey}, or its
 * label when that is empty.
 */
public enum Partitioning {
    /** Shuffled with the seed and dealt evenly to {@code numClients} clients. */
    IID(PartitionScheme.IID),
    /** One client per category (a non-iid federation). */
    CATEGORY(PartitionScheme.CATEGORY),
    /** {@code numClients} clients whose category proportions are drawn from a Dirichlet distribution. */
    DIRICHLET(PartitionScheme.DIRICHLET);

    private final PartitionScheme scheme;

    Partitioning(PartitionScheme scheme) {
        this.scheme = scheme;
    }

    /** Returns fedbiot-core's partition scheme. @return the scheme */
    public PartitionScheme scheme() {
        return scheme;
    }
}
