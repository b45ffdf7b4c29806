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

    /** Returns a line for logs: {@code client-00 (label): 360 train, 40 validation, 100 test examples}. @return it */
    public String describe() {
        return id + " (" + label + "): " + splits.train().size() + " train, " + splits.validation().size()
                + " validation, " + splits.test().size() + " test examples";
    }
}
