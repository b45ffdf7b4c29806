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
 * one place ({@code DEFAULT}). Read one from a file with {@link FedbiotConfigReader} or assemble one in code
 * with {@link #builder()}; every key is described in {@code docs/configuration.md}.
 *
 * <pre>{@code
 * FedbiotConfig config = FedbiotConfig.builder()
 *         .optSeed(7)
 *         .optRounds(5)
 *         .optData(DataConfig.builder().optPartition(PartitionScheme.IID).optClients(4).build())
 *         .build();
 * }</pre>
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
 * @param privacy client-level differential privacy (off by default)
 */
public record FedbiotConfig(long seed, Algorithm algorithm, ModelConfig model, DataConfig data, SplitConfig plan,
        LoraSpec lora, OptimizerConfig optimizer, ClientConfig client, ServerConfig server,
        FederationConfig federation, EvalConfig eval, PrivacyConfig privacy) {

    /** Every default. */
    public static final FedbiotConfig DEFAULT = new FedbiotConfig(42, Algorithm.FEDBIOT, ModelConfig.DEFAULT,
            DataConfig.DEFAULT, SplitConfig.DEFAULT, LoraSpec.DEFAULT, OptimizerConfig.DEFAULT,
            ClientConfig.DEFAULT, ServerConfig.DEFAULT, FederationConfig.DEFAULT, EvalConfig.DEFAULT,
            PrivacyConfig.DEFAULT);

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
        ConfigException.require(privacy != null, "privacy", privacy, "must be set");
        // Differential privacy's noise is calibrated to the sensitivity of a mean; a median or a trimmed mean
        // would need another analysis, so the combination is refused rather than reported with a wrong epsilon.
        ConfigException.require(!privacy.enabled() || server.aggregation().kind() == AggregatorKind.FEDAVG,
                "server.aggregator", server.aggregation().kind().id(), "cannot be combined with privacy.mechanism "
                + privacy.mechanism() + ": the privacy accounting assumes the mean (fedavg)");
    }

    /**
     * Creates a configuration without differential privacy ({@link PrivacyConfig#DEFAULT}).
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
     */
    public FedbiotConfig(long seed, Algorithm algorithm, ModelConfig model, DataConfig data, SplitConfig plan,
            LoraSpec lora, OptimizerConfig optimizer, ClientConfig client, ServerConfig server,
            FederationConfig federation, EvalConfig eval) {
        this(seed, algorithm, model, data, plan, lora, optimizer, client, server, federation, eval,
                PrivacyConfig.DEFAULT);
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
     * @param privacy {@code privacy}
     * @return the configuration
     */
    @JsonCreator
    static FedbiotConfig fromJson(@JsonProperty("seed") Long seed, @JsonProperty("algorithm") Algorithm algorithm,
            @JsonProperty("model") ModelConfig model, @JsonProperty("data") DataConfig data,
            @JsonProperty("plan") SplitConfig plan, @JsonProperty("lora") LoraKeys lora,
            @JsonProperty("optimizer") OptimizerKeys optimizer, @JsonProperty("client") ClientConfig client,
            @JsonProperty("server") ServerConfig server, @JsonProperty("federation") FederationConfig federation,
            @JsonProperty("eval") EvalConfig eval, @JsonProperty("privacy") PrivacyConfig privacy) {
        FedbiotConfig d = DEFAULT;
        return new FedbiotConfig(seed != null ? seed : d.seed, algorithm != null ? algorithm : d.algorithm,
                model != null ? model : d.model, data != null ? data : d.data, plan != null ? plan : d.plan,
                lora != null ? lora.resolve() : d.lora, optimizer != null ? optimizer.resolve() : d.optimizer,
                client != null ? client : d.client, server != null ? server : d.server,
                federation != null ? federation : d.federation, eval != null ? eval : d.eval,
                privacy != null ? privacy : d.privacy);
    }

    /**
     * Returns a copy with another algorithm.
     *
     * @param a the algorithm
     * @return the new configuration
     */
    public FedbiotConfig withAlgorithm(Algorithm a) {
        return new FedbiotConfig(seed, a, model, data, plan, lora, optimizer, client, server, federation, eval,
                privacy);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param s the seed
     * @return the new configuration
     */
    public FedbiotConfig withSeed(long s) {
        return new FedbiotConfig(s, algorithm, model, data, plan, lora, optimizer, client, server, federation, eval,
                privacy);
    }

    /**
     * Returns a copy with another round count.
     *
     * @param rounds the rounds
     * @return the new configuration
     */
    public FedbiotConfig withRounds(int rounds) {
        return new FedbiotConfig(seed, algorithm, model, data, plan, lora, optimizer, client, server,
                federation.withRounds(rounds), eval, privacy);
    }

    /**
     * Returns a copy with another model directory.
     *
     * @param dir the directory
     * @return the new configuration
     */
    public FedbiotConfig withModelDir(String dir) {
        return new FedbiotConfig(seed, algorithm, model.withDir(dir), data, plan, lora, optimizer, client, server,
                federation, eval, privacy);
    }

    /**
     * Returns a copy with another data section.
     *
     * @param d the data section
     * @return the new configuration
     */
    public FedbiotConfig withData(DataConfig d) {
        return new FedbiotConfig(seed, algorithm, model, d, plan, lora, optimizer, client, server, federation, eval,
                privacy);
    }

    /**
     * Returns a builder starting from {@link #DEFAULT}.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /**
     * Returns a builder starting from this configuration.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Assembles a {@link FedbiotConfig} section by section; every section starts at the value of the
     * configuration the builder was created from ({@link #DEFAULT} for {@link #builder()}). Sections validate
     * their keys when they are built, and {@link #build()} checks that none is missing, with the
     * {@link ConfigException} messages of the file reader.
     */
    public static final class Builder {
        private long seed;
        private Algorithm algorithm;
        private ModelConfig model;
        private DataConfig data;
        private SplitConfig plan;
        private LoraSpec lora;
        private OptimizerConfig optimizer;
        private ClientConfig client;
        private ServerConfig server;
        private FederationConfig federation;
        private EvalConfig eval;
        private PrivacyConfig privacy;

        Builder(FedbiotConfig start) {
            seed = start.seed;
            algorithm = start.algorithm;
            model = start.model;
            data = start.data;
            plan = start.plan;
            lora = start.lora;
            optimizer = start.optimizer;
            client = start.client;
            server = start.server;
            federation = start.federation;
            eval = start.eval;
            privacy = start.privacy;
        }

        /**
         * Sets {@code seed}, the root seed.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /**
         * Sets {@code algorithm}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optAlgorithm(Algorithm value) {
            algorithm = value;
            return this;
        }

        /**
         * Sets the {@code model} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optModel(ModelConfig value) {
            model = value;
            return this;
        }

        /**
         * Sets the {@code data} section (see {@link DataConfig#builder()}).
         *
         * @param value the value
         * @return this builder
         */
        public Builder optData(DataConfig value) {
            data = value;
            return this;
        }

        /**
         * Sets the {@code plan} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optPlan(SplitConfig value) {
            plan = value;
            return this;
        }

        /**
         * Sets the {@code lora} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optLora(LoraSpec value) {
            lora = value;
            return this;
        }

        /**
         * Sets the {@code optimizer} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optOptimizer(OptimizerConfig value) {
            optimizer = value;
            return this;
        }

        /**
         * Sets the {@code client} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optClient(ClientConfig value) {
            client = value;
            return this;
        }

        /**
         * Sets the {@code server} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optServer(ServerConfig value) {
            server = value;
            return this;
        }

        /**
         * Sets the {@code federation} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optFederation(FederationConfig value) {
            federation = value;
            return this;
        }

        /**
         * Sets the {@code eval} section.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optEval(EvalConfig value) {
            eval = value;
            return this;
        }

        /**
         * Sets the {@code privacy} section.
         *
         * @param value the section
         * @return this builder
         */
        public Builder optPrivacy(PrivacyConfig value) {
            privacy = value;
            return this;
        }

        /**
         * Sets {@code model.dir}, the Hugging Face model directory.
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder optModelDir(String dir) {
            model = model == null ? new ModelConfig(dir) : model.withDir(dir);
            return this;
        }

        /**
         * Sets {@code federation.rounds}, keeping the rest of the federation section.
         *
         * @param rounds the number of rounds
         * @return this builder
         * @throws ConfigException naming {@code federation.rounds} when it is below 1
         */
        public Builder optRounds(int rounds) {
            ConfigException.require(federation != null, "federation", null, "must be set");
            federation = federation.withRounds(rounds);
            return this;
        }

        /**
         * Checks that every section is present and builds the configuration.
         *
         * @return the configuration
         * @throws ConfigException naming the first missing section
         */
        public FedbiotConfig build() {
            return new FedbiotConfig(seed, algorithm, model, data, plan, lora, optimizer, client, server, federation,
                    eval, privacy);
        }
    }
}
