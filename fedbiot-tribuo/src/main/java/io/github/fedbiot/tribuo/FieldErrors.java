/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.fedbiot.ConfigException;
import java.util.Map;

/**
 * Errors of {@link FedBiOTTrainer}'s configuration as OLCUT {@link PropertyException}s that name the trainer's
 * field, also when fedbiot-core's records reject a value under their own configuration key.
 */
final class FieldErrors {
    /** Core configuration keys and the fields they come from, to name the field in errors. */
    private static final Map<String, String> FIELD_OF_KEY = Map.ofEntries(
            Map.entry("plan.adapter_layers", "adapterLayers"), Map.entry("plan.drop_rate", "dropRate"),
            Map.entry("plan", "adapterLayers"), Map.entry("lora.rank", "loraRank"),
            Map.entry("lora.alpha", "loraAlpha"), Map.entry("lora.dropout", "loraDropout"),
            Map.entry("lora.targets", "loraTargets"), Map.entry("optimizer.lr", "learningRate"),
            Map.entry("client.local_steps", "localSteps"), Map.entry("client.batch_size", "batchSize"),
            Map.entry("client.grad_accum", "gradAccum"), Map.entry("client.proximal_weight", "mu"),
            Map.entry("server.align_steps", "alignSteps"), Map.entry("server.pre_align_rounds", "preAlignRounds"),
            Map.entry("server.kl_weight", "lambda"), Map.entry("federation.rounds", "rounds"),
            Map.entry("data.clients", "numClients"), Map.entry("data.dirichlet_alpha", "dirichletAlpha"),
            Map.entry("data.max_length", "maxPromptTokens"));

    private FieldErrors() {}

    /**
     * Throws unless a check holds.
     *
     * @param ok the check
     * @param field the field checked
     * @param message what the field must be, and the value found
     * @throws PropertyException naming the field when the check fails
     */
    static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new PropertyException("", field, field + " " + message);
        }
    }

    /**
     * Returns a core configuration error as an error of the field its key comes from.
     *
     * @param e the core error
     * @return the OLCUT error, with {@code e} as cause
     */
    static PropertyException property(ConfigException e) {
        String field = FIELD_OF_KEY.getOrDefault(e.key(), e.key());
        return new PropertyException(e, "", field, field + ": " + e.getMessage());
    }
}
