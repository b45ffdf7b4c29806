/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.data.DataSplits;
import java.util.Objects;

/**
 * One simulated client's data.
 *
 * @param id the client id, e.g. {@code client-02}
 * @param label a description for logs, e.g. its category
 * @param splits its training, validation and test examples
 */
public record ClientData(String id, String label, DataSplits splits) {

    /** Rejects missing parts. */
    public ClientData {
        Objects.requireNonNull(id, "id");
        label = label == null ? "" : label;
        Objects.requireNonNull(splits, "splits");
    }
}
