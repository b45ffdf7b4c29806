/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.data.CategoryPartitioner;
import io.github.fedbiot.data.DatasetFormat;
import io.github.fedbiot.data.DirichletPartitioner;
import io.github.fedbiot.data.IidPartitioner;
import io.github.fedbiot.data.Partitioner;
import io.github.fedbiot.data.PromptTemplates;

/**
 * The clients' data, the server's public data and how they are split.
 *
 * @param train the clients' training examples (JSON array or JSONL)
 * @param format the layout of {@code train} (and of {@code test})
 * @param test optional held-out test examples; when empty each client's test split is cut from its share
 * @param publicData the server's public examples for emulator alignment (JSON array or JSONL)
 * @param publicFormat the layout of {@code publicData}
 * @param partition how the training examples are divided among clients
 * @param clients the number of clients for {@code iid} and {@code dirichlet} (ignored by {@code category})
 * @param dirichletAlpha the concentration of the Dirichlet partition (smaller = more skewed)
 * @param validationFraction the share of each client's examples held out for per-round evaluation
 * @param testFraction the share held out for the final test when {@code test} is empty
 * @param maxLength the token budget of one example (prompt + response + EOS), longer ones are truncated
 * @param maxExamplesPerClient cap on each client's training examples after partitioning (0: no cap)
 * @param promptTemplate how an example becomes a prompt: {@code alpaca}, {@code chat}, a template text with
 *     {@code {instruction}} or {@code file:<path>} (see {@link PromptTemplates})
 */
public record DataConfig(String train, DatasetFormat format, String test, String publicData,
        DatasetFormat publicFormat, PartitionScheme partition, int clients, double dirichletAlpha,
        double validationFraction, double testFraction, int maxLength, int maxExamplesPerClient,
        String promptTemplate) {

    /** Defaults: no files, category partition, 10 % validation, 10 % test, 512 tokens, the Alpaca prompt. */
    public static final DataConfig DEFAULT = new DataConfig("", DatasetFormat.AUTO, "", "", DatasetFormat.AUTO,
            PartitionScheme.CATEGORY, 3, 0.5, 0.1, 0.1, 512, 0, PromptTemplates.ALPACA);

    /**
     * Creates the section with the Alpaca prompt (the form before {@code data.prompt_template} existed).
     *
     * @param train {@code data.train}
     * @param format {@code data.format}
     * @param test {@code data.test}
     * @param publicData {@code data.public}
     * @param publicFormat {@code data.public_format}
     * @param partition {@code data.partition}
     * @param clients {@code data.clients}
     * @param dirichletAlpha {@code data.dirichlet_alpha}
     * @param validationFraction {@code data.validation_fraction}
     * @param testFraction {@code data.test_fraction}
     * @param maxLength {@code data.max_length}
     * @param maxExamplesPerClient {@code data.max_examples_per_client}
     */
    public DataConfig(String train, DatasetFormat format, String test, String publicData,
            DatasetFormat publicFormat, PartitionScheme partition, int clients, double dirichletAlpha,
            double validationFraction, double testFraction, int maxLength, int maxExamplesPerClient) {
        this(train, format, test, publicData, publicFormat, partition, clients, dirichletAlpha, validationFraction,
                testFraction, maxLength, maxExamplesPerClient, PromptTemplates.ALPACA);
    }

    /** Validates the values. */
    public DataConfig {
        promptTemplate = promptTemplate == null ? PromptTemplates.ALPACA : promptTemplate;
        PromptTemplates.checkSetting(promptTemplate);
        train = train == null ? "" : train;
        test = test == null ? "" : test;
        publicData = publicData == null ? "" : publicData;
        ConfigException.require(format != null, "data.format", format, "must be set");
        ConfigException.require(publicFormat != null, "data.public_format", publicFormat, "must be set");
        ConfigException.require(partition != null, "data.partition", partition, "must be set");
        ConfigException.require(clients >= 1, "data.clients", clients, "must be >= 1");
        ConfigException.require(dirichletAlpha > 0 && Double.isFinite(dirichletAlpha), "data.dirichlet_alpha",
                dirichletAlpha, "must be > 0");
        ConfigException.require(validationFraction >= 0 && validationFraction < 1, "data.validation_fraction",
                validationFraction, "must be in [0, 1)");
        ConfigException.require(testFraction >= 0 && testFraction < 1, "data.test_fraction", testFraction,
                "must be in [0, 1)");
        ConfigException.require(validationFraction + testFraction < 1, "data.test_fraction", testFraction,
                "plus data.validation_fraction (" + validationFraction + ") must be < 1");
        ConfigException.require(maxLength >= 8, "data.max_length", maxLength, "must be >= 8");
        ConfigException.require(maxExamplesPerClient >= 0, "data.max_examples_per_client", maxExamplesPerClient,
                "must be >= 0");
    }

    /**
     * Builds the section from a file, taking the default for each missing key.
     *
     * @param train {@code data.train}
     * @param format {@code data.format}
     * @param test {@code data.test}
     * @param publicData {@code data.public}
     * @param publicFormat {@code data.public_format}
     * @param partition {@code data.partition}
     * @param clients {@code data.clients}
     * @param dirichletAlpha {@code data.dirichlet_alpha}
     * @param validationFraction {@code data.validation_fraction}
     * @param testFraction {@code data.test_fraction}
     * @param maxLength {@code data.max_length}
     * @param maxExamplesPerClient {@code data.max_examples_per_client}
     * @param promptTemplate {@code data.prompt_template}
     * @return the section
     */
    @JsonCreator
    static DataConfig fromJson(@JsonProperty("train") String train, @JsonProperty("format") DatasetFormat format,
            @JsonProperty("test") String test, @JsonProperty("public") String publicData,
            @JsonProperty("public_format") DatasetFormat publicFormat,
            @JsonProperty("partition") PartitionScheme partition, @JsonProperty("clients") Integer clients,
            @JsonProperty("dirichlet_alpha") Double dirichletAlpha,
            @JsonProperty("validation_fraction") Double validationFraction,
            @JsonProperty("test_fraction") Double testFraction, @JsonProperty("max_length") Integer maxLength,
            @JsonProperty("max_examples_per_client") Integer maxExamplesPerClient,
            @JsonProperty("prompt_template") String promptTemplate) {
        DataConfig d = DEFAULT;
        return new DataConfig(or(train, d.train), or(format, d.format), or(test, d.test),
                or(publicData, d.publicData), or(publicFormat, d.publicFormat), or(partition, d.partition),
                or(clients, d.clients), or(dirichletAlpha, d.dirichletAlpha),
                or(validationFraction, d.validationFraction), or(testFraction, d.testFraction),
                or(maxLength, d.maxLength), or(maxExamplesPerClient, d.maxExamplesPerClient),
                or(promptTemplate, d.promptTemplate));
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
     * Returns a builder starting from this section.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns {@code publicData} under its file name {@code public}. @return the path */
    @JsonProperty("public")
    public String publicData() {
        return publicData;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /**
     * Returns the partitioner this section asks for.
     *
     * @return the partitioner
     */
    public Partitioner partitioner() {
        return switch (partition) {
            case IID -> new IidPartitioner(clients);
            case CATEGORY -> new CategoryPartitioner();
            case DIRICHLET -> new DirichletPartitioner(clients, dirichletAlpha);
        };
    }

    /**
     * Assembles a {@link DataConfig} key by key; every key starts at the value of the section it was created
     * from, and {@link #build()} validates as the record does, naming the key at fault.
     */
    public static final class Builder {
        private String train;
        private DatasetFormat format;
        private String test;
        private String publicData;
        private DatasetFormat publicFormat;
        private PartitionScheme partition;
        private int clients;
        private double dirichletAlpha;
        private double validationFraction;
        private double testFraction;
        private int maxLength;
        private int maxExamplesPerClient;
        private String promptTemplate;

        Builder(DataConfig start) {
            train = start.train;
            format = start.format;
            test = start.test;
            publicData = start.publicData;
            publicFormat = start.publicFormat;
            partition = start.partition;
            clients = start.clients;
            dirichletAlpha = start.dirichletAlpha;
            validationFraction = start.validationFraction;
            testFraction = start.testFraction;
            maxLength = start.maxLength;
            maxExamplesPerClient = start.maxExamplesPerClient;
            promptTemplate = start.promptTemplate;
        }

        /**
         * Sets {@code data.train}: the clients' examples file.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optTrain(String value) {
            train = value;
            return this;
        }

        /**
         * Sets {@code data.format}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optFormat(DatasetFormat value) {
            format = value;
            return this;
        }

        /**
         * Sets {@code data.test}: a separate test file, or empty.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optTest(String value) {
            test = value;
            return this;
        }

        /**
         * Sets {@code data.public}: the public examples file, or empty.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optPublicData(String value) {
            publicData = value;
            return this;
        }

        /**
         * Sets {@code data.public_format}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optPublicFormat(DatasetFormat value) {
            publicFormat = value;
            return this;
        }

        /**
         * Sets {@code data.partition}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optPartition(PartitionScheme value) {
            partition = value;
            return this;
        }

        /**
         * Sets {@code data.clients}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optClients(int value) {
            clients = value;
            return this;
        }

        /**
         * Sets {@code data.dirichlet_alpha}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optDirichletAlpha(double value) {
            dirichletAlpha = value;
            return this;
        }

        /**
         * Sets {@code data.validation_fraction}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optValidationFraction(double value) {
            validationFraction = value;
            return this;
        }

        /**
         * Sets {@code data.test_fraction}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optTestFraction(double value) {
            testFraction = value;
            return this;
        }

        /**
         * Sets {@code data.max_length}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optMaxLength(int value) {
            maxLength = value;
            return this;
        }

        /**
         * Sets {@code data.max_examples_per_client}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optMaxExamplesPerClient(int value) {
            maxExamplesPerClient = value;
            return this;
        }

        /**
         * Sets {@code data.prompt_template}.
         *
         * @param value the value
         * @return this builder
         */
        public Builder optPromptTemplate(String value) {
            promptTemplate = value;
            return this;
        }

        /**
         * Validates the keys and builds the section.
         *
         * @return the section
         * @throws io.github.fedbiot.ConfigException naming the first key whose value is invalid
         */
        public DataConfig build() {
            return new DataConfig(train, format, test, publicData, publicFormat, partition, clients, dirichletAlpha,
                    validationFraction, testFraction, maxLength, maxExamplesPerClient, promptTemplate);
        }
    }
}
