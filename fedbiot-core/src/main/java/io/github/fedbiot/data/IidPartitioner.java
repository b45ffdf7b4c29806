/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Shuffles the examples with the seed and deals them round-robin: client sizes differ by at most one. */
public final class IidPartitioner implements Partitioner {
    private final int clients;

    /**
     * Creates the partitioner.
     *
     * @param clients the number of clients, at least 1
     */
    public IidPartitioner(int clients) {
        ConfigException.require(clients >= 1, "data.clients", clients, "must be >= 1");
        this.clients = clients;
    }

    /** {@inheritDoc} */
    @Override
    public List<List<InstructionExample>> partition(List<InstructionExample> examples, long seed) {
        ConfigException.require(examples.size() >= clients, "data.clients", clients,
                "must not exceed the " + examples.size() + " training examples");
        List<InstructionExample> shuffled = Shuffle.copy(examples, new SplittableRandom(seed));
        List<List<InstructionExample>> parts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < shuffled.size(); i++) {
            parts.get(i % clients).add(shuffled.get(i));
        }
        return parts.stream().map(List::copyOf).toList();
    }
}
