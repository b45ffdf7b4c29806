/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.fedbiot.ConfigException;
import java.util.Arrays;

/** How the training examples are divided among the clients. */
public enum PartitionScheme {
    /** Shuffled and dealt evenly: every client sees the same distribution. */
    IID("iid"),
    /** One client per category (the paper's non-iid setting for Dolly and code). */
    CATEGORY("category"),
    /** Per category, shares drawn from a symmetric Dirichlet(alpha) over the clients. */
    DIRICHLET("dirichlet");

    private final String id;

    PartitionScheme(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files. @return the id */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Parses a scheme name.
     *
     * @param s the name
     * @return the scheme
     * @throws ConfigException naming {@code data.partition} if the name is unknown
     */
    @JsonCreator
    public static PartitionScheme parse(String s) {
        for (PartitionScheme p : values()) {
            if (p.id.equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new ConfigException("data.partition", "unknown partition scheme '" + s + "' (valid: "
                + Arrays.stream(values()).map(PartitionScheme::id).toList() + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
