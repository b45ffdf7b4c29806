/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.fedbiot.ConfigException;
import java.util.Arrays;

/** The federated fine-tuning algorithms that run from the same code. */
public enum Algorithm {
    /** FedBiOT: adapter = last K layers, emulator re-aligned on public data every round. */
    FEDBIOT("fedbiot"),
    /** FedOT: adapter = first 2 + last 2 layers, many clients, emulator fixed (optionally distilled once). */
    FEDOT("fedot"),
    /** Offsite-Tuning: FedOT's split with a single data owner. */
    OFFSITE("offsite"),
    /** FedAvg of LoRA on the full, uncompressed model (the upper bound). */
    FEDAVG_FULL("fedavg-full");

    private final String id;

    Algorithm(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files and on the command line. @return the id */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Parses an algorithm name.
     *
     * @param s the name, e.g. {@code fedbiot}
     * @return the algorithm
     * @throws ConfigException naming {@code algorithm} if the name is unknown
     */
    @JsonCreator
    public static Algorithm parse(String s) {
        for (Algorithm a : values()) {
            if (a.id.equalsIgnoreCase(s) || a.name().equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new ConfigException("algorithm", "unknown algorithm '" + s + "' (valid: "
                + Arrays.stream(values()).map(Algorithm::id).toList() + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
