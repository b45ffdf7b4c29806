/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.config.DataConfig;
import java.util.List;

/** Divides a data set among clients; the same examples and seed always give the same partition. */
public interface Partitioner {

    /**
     * Divides the examples.
     *
     * @param examples all training examples
     * @param seed the partition seed
     * @return one non-empty list per client, in client order
     * @throws io.github.fedbiot.config.ConfigException if the data cannot be divided as configured
     */
    List<List<InstructionExample>> partition(List<InstructionExample> examples, long seed);

    /**
     * Returns the partitioner a data section asks for.
     *
     * @param data the data section
     * @return the partitioner
     */
    static Partitioner of(DataConfig data) {
        return switch (data.partition()) {
            case IID -> new IidPartitioner(data.clients());
            case CATEGORY -> new CategoryPartitioner();
            case DIRICHLET -> new DirichletPartitioner(data.clients(), data.dirichletAlpha());
        };
    }
}
