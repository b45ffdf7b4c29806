/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.data.InstructionExample;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a division of the data that would end in silently empty figures: a client without training examples,
 * or a run without a single test example (every test figure would be missing while the run exits 0). A final
 * test the user turned off ({@code data.test_fraction: 0} and no {@code data.test}) and single clients without
 * test examples are only warned about, loudly, with the number of examples the test rests on.
 */
final class SplitChecks {
    private static final Logger logger = LoggerFactory.getLogger(SplitChecks.class);

    private SplitChecks() {}

    /**
     * Checks the clients' splits.
     *
     * @param d the data section
     * @param clients the clients as divided
     * @param test the separate test examples, or empty when each client's test split was cut from its share
     * @throws ConfigException naming the key to change when a client has no training example or no client has a
     *     test example
     */
    static void check(DataConfig d, List<ClientData> clients, List<InstructionExample> test) {
        for (ClientData c : clients) {
            ConfigException.require(!c.splits().train().isEmpty(), "data.train", c.describe(),
                    "leaves a client without training examples");
        }
        int tested = clients.stream().mapToInt(c -> c.splits().test().size()).sum();
        if (test.isEmpty()) {
            checkCutTest(d, clients, tested);
        } else {
            checkTestFile(clients, test, tested);
        }
        if (tested > 0) {
            for (ClientData c : clients) {
                if (c.splits().test().isEmpty()) {
                    logger.warn("{} has no test example: the final test rests on the other clients' {} examples",
                            c.describe(), tested);
                }
            }
        }
    }

    private static void checkCutTest(DataConfig d, List<ClientData> clients, int tested) {
        if (d.testFraction() == 0) {
            logger.warn("data.test_fraction is 0 and data.test is not set: this run has no final test, its test "
                    + "figures stay empty");
            return;
        }
        if (tested > 0) {
            return;
        }
        int needed = d.validationFraction() > 0 ? 3 : 2;
        String sizes = clients.stream().map(c -> String.valueOf(size(c))).collect(Collectors.joining(", "));
        throw new ConfigException("data.test_fraction", d.testFraction() + " cuts no test example from any client: "
                + "the " + clients.size() + " clients hold " + sizes + " examples, and a client needs at least "
                + needed + " (training, " + (needed == 3 ? "validation, " : "") + "test); give more examples, fewer "
                + "clients (data.clients) or categories, or a test file (data.test), or set data.test_fraction: 0 "
                + "to run without a final test");
    }

    private static void checkTestFile(List<ClientData> clients, List<InstructionExample> test, int tested) {
        Set<String> held = clients.stream().map(ClientData::label).collect(Collectors.toCollection(TreeSet::new));
        if (tested == 0) {
            Set<String> categories = test.stream().map(InstructionExample::category)
                    .collect(Collectors.toCollection(TreeSet::new));
            throw new ConfigException("data.test", "none of its " + test.size() + " examples reaches a client: its "
                    + "categories " + categories + " match none of the clients' " + held);
        }
        if (tested < test.size()) {
            Set<String> unused = test.stream().map(InstructionExample::category).filter(c -> !held.contains(c))
                    .collect(Collectors.toCollection(TreeSet::new));
            logger.warn("data.test: {} of its {} examples (categories {}) match no client and are not evaluated",
                    test.size() - tested, test.size(), unused);
        }
    }

    private static int size(ClientData c) {
        return c.splits().train().size() + c.splits().validation().size() + c.splits().test().size();
    }
}
