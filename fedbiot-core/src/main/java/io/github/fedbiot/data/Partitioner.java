/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import java.util.List;

/** Divides a data set among clients; the same examples and seed always give the same partition. */
public interface Partitioner {

    /**
     * Divides the examples.
     *
     * @param examples all training examples
     * @param seed the partition seed
     * @return one non-empty list per client, in client order
     * @throws io.github.fedbiot.ConfigException if the data cannot be divided as configured
     */
    List<List<InstructionExample>> partition(List<InstructionExample> examples, long seed);
}
