/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where an aligner run leaves its result: {@code adapter_lora.safetensors} and {@code emulator_lora.safetensors}
 * in one directory, with the algorithm and the round count as metadata, or nowhere.
 */
public final class AlignerOutput {
    /** File name of the final adapter LoRA. */
    public static final String ADAPTER_FILE = "adapter_lora.safetensors";
    /** File name of the final emulator LoRA. */
    public static final String EMULATOR_FILE = "emulator_lora.safetensors";

    private final Path dir;

    private AlignerOutput(Path dir) {
        this.dir = dir;
    }

    /**
     * Returns an output that writes into a directory (created when needed).
     *
     * @param dir the directory, or null for {@link #none()}
     * @return the output
     */
    public static AlignerOutput to(Path dir) {
        return new AlignerOutput(dir);
    }

    /** Returns an output that writes nothing. @return the output */
    public static AlignerOutput none() {
        return new AlignerOutput(null);
    }

    /**
     * Writes the final LoRA.
     *
     * @param algorithm the algorithm id, stored as metadata
     * @param rounds the rounds the federation ran, stored as metadata
     * @param adapter the final adapter LoRA
     * @param emulator the final emulator LoRA
     * @return the directory written to, or empty for an output that writes nothing
     * @throws FedbiotException if the directory cannot be created or a file cannot be written
     */
    public Optional<Path> write(String algorithm, int rounds, NamedTensors adapter, NamedTensors emulator) {
        if (dir == null) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FedbiotException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Map<String, String> meta = new TreeMap<>(Map.of("algorithm", algorithm, "rounds", String.valueOf(rounds)));
        SafetensorsWriter.write(dir.resolve(ADAPTER_FILE), adapter, meta);
        SafetensorsWriter.write(dir.resolve(EMULATOR_FILE), emulator, meta);
        return Optional.of(dir);
    }
}
