/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.algorithm.SeedStream;
import io.github.fedbiot.config.Algorithm;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.PartitionScheme;
import io.github.fedbiot.data.CategoryPartitioner;
import io.github.fedbiot.data.DataSplits;
import io.github.fedbiot.data.IidPartitioner;
import io.github.fedbiot.data.InstructionDatasetLoader;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.data.Partitioner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data of a simulated federation: each client's splits and the server's public examples.
 *
 * @param clients the clients, in id order
 * @param publicExamples the public examples for emulator alignment (may be empty when nothing aligns)
 */
public record FederatedDataset(List<ClientData> clients, List<InstructionExample> publicExamples) {
    private static final Logger logger = LoggerFactory.getLogger(FederatedDataset.class);

    /** Copies the lists and requires at least one client. */
    public FederatedDataset {
        clients = List.copyOf(clients);
        publicExamples = List.copyOf(publicExamples);
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("a federation needs at least one client");
        }
    }

    /**
     * Loads and divides the data a configuration names: the training file is partitioned among clients
     * ({@code data.partition}; one client holding everything for Offsite-Tuning), each client's share is split
     * into train / validation / test, and a separate test file, when given, is divided the same way (by
     * category, or dealt evenly) instead of cutting a test split.
     *
     * @param config the configuration
     * @return the data
     * @throws ConfigException naming {@code data.train} or {@code data.public} when a required file is missing
     */
    public static FederatedDataset load(FedbiotConfig config) {
        DataConfig d = config.data();
        ConfigException.require(!d.train().isEmpty(), "data.train", "(empty)", "must name the clients' data file");
        List<InstructionExample> train = InstructionDatasetLoader.load(d.train(), d.format());
        List<InstructionExample> test = d.test().isEmpty() ? List.of()
                : InstructionDatasetLoader.load(d.test(), d.format());
        List<InstructionExample> pub = d.publicData().isEmpty() ? List.of()
                : InstructionDatasetLoader.load(d.publicData(), d.publicFormat());
        FederatedDataset data = build(config, train, test, pub);
        data.clients().forEach(c -> logger.info(c.describe()));
        return data;
    }

    /**
     * Divides in-memory examples among the configured clients: partitioned by {@code data.partition} with the
     * configured seed, then split into train / validation / test as {@link #load} does for files.
     *
     * @param config the configuration (its {@code data} file names are not used)
     * @param train the clients' examples
     * @param publicExamples the server's public examples for emulator alignment, or empty when nothing aligns
     * @return the data
     */
    public static FederatedDataset of(FedbiotConfig config, List<InstructionExample> train,
            List<InstructionExample> publicExamples) {
        return build(config, train, List.of(), publicExamples);
    }

    /**
     * Divides loaded examples as {@link #load} does, refusing a division that leaves a client without training
     * examples or the run without a test example (unless {@code data.test_fraction} is 0 and there is no test
     * file: then it warns).
     *
     * @param config the configuration
     * @param train the clients' examples
     * @param test separate test examples, or empty
     * @param publicExamples the public examples, or empty
     * @return the data
     * @throws ConfigException naming the key to change when the data cannot be divided as configured
     */
    public static FederatedDataset build(FedbiotConfig config, List<InstructionExample> train,
            List<InstructionExample> test, List<InstructionExample> publicExamples) {
        DataConfig d = config.data();
        long seed = config.seed();
        boolean single = config.algorithm() == Algorithm.OFFSITE;
        List<List<InstructionExample>> parts = single ? List.of(train)
                : d.partitioner().partition(train, SeedStream.PARTITION.derive(seed));
        List<String> labels = labels(d, train, parts, single);
        List<List<InstructionExample>> testParts = test.isEmpty() ? null : divideTest(d, test, parts.size(), labels,
                single, seed);
        List<ClientData> clients = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String id = String.format("client-%02d", i);
            long s = SeedStream.SPLIT.forClient(seed, id, 0);
            DataSplits splits = DataSplits.split(parts.get(i), d.validationFraction(),
                    testParts == null ? d.testFraction() : 0, s);
            List<InstructionExample> tr = splits.train();
            if (d.maxExamplesPerClient() > 0 && tr.size() > d.maxExamplesPerClient()) {
                tr = tr.subList(0, d.maxExamplesPerClient());
            }
            splits = new DataSplits(tr, splits.validation(), testParts == null ? splits.test() : testParts.get(i));
            clients.add(new ClientData(id, labels.get(i), splits));
        }
        SplitChecks.check(d, clients, test);
        return new FederatedDataset(clients, publicExamples);
    }

    private static List<String> labels(DataConfig d, List<InstructionExample> train,
            List<List<InstructionExample>> parts, boolean single) {
        List<String> labels = new ArrayList<>();
        if (single) {
            labels.add("all data");
        } else if (d.partition() == PartitionScheme.CATEGORY) {
            labels.addAll(CategoryPartitioner.categories(train));
        } else {
            for (int i = 0; i < parts.size(); i++) {
                labels.add(d.partition().id() + " share " + i);
            }
        }
        return labels;
    }

    private static List<List<InstructionExample>> divideTest(DataConfig d, List<InstructionExample> test, int clients,
            List<String> labels, boolean single, long seed) {
        if (single) {
            // dealt round-robin over the categories, so that a cap on evaluated examples (eval.max_examples)
            // scores the first examples of every category, the same ones a per-category federation scores,
            // rather than the first category of the file only
            Collection<List<InstructionExample>> categories = byCategory(test).values();
            List<InstructionExample> interleaved = new ArrayList<>(test.size());
            for (int i = 0; interleaved.size() < test.size(); i++) {
                for (List<InstructionExample> cat : categories) {
                    if (i < cat.size()) {
                        interleaved.add(cat.get(i));
                    }
                }
            }
            return List.of(interleaved);
        }
        if (d.partition() == PartitionScheme.CATEGORY) {
            Map<String, List<InstructionExample>> byCat = byCategory(test);
            List<List<InstructionExample>> out = new ArrayList<>();
            for (String label : labels) {
                out.add(byCat.getOrDefault(label, List.of()));
            }
            return out;
        }
        if (test.size() < clients) {
            throw new ConfigException("data.test", "holds " + test.size() + " examples, fewer than the " + clients
                    + " clients");
        }
        return new IidPartitioner(clients).partition(test, SeedStream.TEST_PARTITION.derive(seed));
    }

    /** Groups examples by category, categories in name order, examples in file order. */
    private static Map<String, List<InstructionExample>> byCategory(List<InstructionExample> examples) {
        Map<String, List<InstructionExample>> byCat = new TreeMap<>();
        for (InstructionExample e : examples) {
            byCat.computeIfAbsent(e.category(), k -> new ArrayList<>()).add(e);
        }
        return byCat;
    }

    /** Returns the client ids in order. @return the ids */
    public List<String> clientIds() {
        return clients.stream().map(ClientData::id).toList();
    }
}
