/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LoraSpec;

/**
 * A whole simulation's configuration: one immutable, validated record per section, each with its defaults in
 * one place ({@code DEFAULT}). Read one from a file with {@link FedbiotConfigReader}; every key is described
 * in {@code docs/configuration.md}.
 *
 * @param seed the root seed; every random choice (data split, partition, sampling, dropouts, LoRA init, LoRA
 *     dropout masks, batch order) derives its own seed from it
 * @param algorithm which algorithm to run
 * @param model where the model comes from
 * @param data the data and its partition
 * @param plan the adapter / emulator split
 * @param lora the LoRA settings
 * @param optimizer AdamW settings (clients and server)
 * @param client local training
 * @param server emulator alignment
 * @param federation rounds and participation
 * @param eval evaluation
 */
public record FedbiotConfig(long seed, Algorithm algorithm, ModelConfig model, DataConfig data, SplitConfig plan,
        LoraSpec lora, OptimizerConfig optimizer, ClientConfig client, ServerConfig server,
        FederationConfig federation, EvalConfig eval) {

    /** Every default. */
    public static final FedbiotConfig DEFAULT = new FedbiotConfig(42, Algorithm.FEDBIOT, ModelConfig.DEFAULT,
            DataConfig.DEFAULT, SplitConfig.DEFAULT, LoraSpec.DEFAULT, OptimizerConfig.DEFAULT,
            ClientConfig.DEFAULT, ServerConfig.DEFAULT, FederationConfig.DEFAULT, EvalConfig.DEFAULT);

    /** Checks that every section is present. */
    public FedbiotConfig {
        ConfigException.require(algorithm != null, "algorithm", algorithm, "must be set");
        ConfigException.require(model != null, "model", model, "must be set");
        ConfigException.require(data != null, "data", data, "must be set");
        ConfigException.require(plan != null, "plan", plan, "must be set");
        ConfigException.require(lora != null, "lora", lora, "must be set");
        ConfigException.require(optimizer != null, "optimizer", optimizer, "must be set");
        ConfigException.require(client != null, "client", client, "must be set");
        ConfigException.require(server != null, "server", server, "must be set");
        ConfigException.require(federation != null, "federation", federation, "must be set");
        ConfigException.require(eval != null, "eval", eval, "must be set");
    }

    /**
     * Builds the configuration from a file, taking the default for each missing section or key.
     *
     * @param seed {@code seed}
     * @param algorithm {@code algorithm}
     * @param model {@code model}
     * @param data {@code data}
     * @param plan {@code plan}
     * @param lora {@code lora}
     * @param optimizer {@code optimizer}
     * @param client {@code client}
     * @param server {@code server}
     * @param federation {@code federation}
     * @param eval {@code eval}
     * @return the configuration
     */
    @JsonCreator
    static FedbiotConfig fromJson(@JsonProperty("seed") Long seed, @JsonProperty("algorithm") Algorithm algorithm,
            @JsonProperty("model") ModelConfig model, @JsonProperty("data") DataConfig data,
            @JsonProperty("plan") SplitConfig plan, @JsonProperty("lora") LoraKeys lora,
            @JsonProperty("optimizer") OptimizerKeys optimizer, @JsonProperty("client") ClientConfig client,
            @JsonProperty("server") ServerConfig server, @JsonProperty("federation") FederationConfig federation,
            @JsonProperty("eval") EvalConfig eval) {
        FedbiotConfig d = DEFAULT;
        return new FedbiotConfig(seed != null ? seed : d.seed, algorithm != null ? algorithm : d.algorithm,
                model != null ? model : d.model, data != null ? data : d.data, plan != null ? plan : d.plan,
                lora != null ? lora.resolve() : d.lora, optimizer != null ? optimizer.resolve() : d.optimizer,
                client != null ? client : d.client, server != null ? server : d.server,
                federation != null ? federation : d.federation, eval != null ? eval : d.eval);
    }

    /**
     * Returns a copy with another algorithm.
     *
     * @param a the algorithm
     * @return the new configuration
     */
    public FedbiotConfig withAlgorithm(Algorithm a) {
        return new FedbiotConfig(seed, a, model, data, plan, lora, optimizer, client, server, federation, eval);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param s the seed
     * @return the new configuration
     */
    public FedbiotConfig withSeed(long s) {
        return new FedbiotConfig(s, algorithm, model, data, plan, lora, optimizer, client, server, federation, eval);
    }

    /**
     * Returns a copy with another round count.
     *
     * @param rounds the rounds
     * @return the new configuration
     */
    public FedbiotConfig withRounds(int rounds) {
        return new FedbiotConfig(seed, algorithm, model, data, plan, lora, optimizer, client, server,
                federation.withRounds(rounds), eval);
    }

    /**
     * Returns a copy with another model directory.
     *
     * @param dir the directory
     * @return the new configuration
     */
    public FedbiotConfig withModelDir(String dir) {
        return new FedbiotConfig(seed, algorithm, new ModelConfig(dir), data, plan, lora, optimizer, client, server,
                federation, eval);
    }

    /**
     * Returns a copy with another data section.
     *
     * @param d the data section
     * @return the new configuration
     */
    public FedbiotConfig withData(DataConfig d) {
        return new FedbiotConfig(seed, algorithm, model, d, plan, lora, optimizer, client, server, federation, eval);
    }
}
