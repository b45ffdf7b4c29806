/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.ConfigException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One client's examples split into training, validation (per-round evaluation) and test (final evaluation).
 *
 * @param train the training examples
 * @param validation the validation examples
 * @param test the test examples
 */
public record DataSplits(List<InstructionExample> train, List<InstructionExample> validation,
        List<InstructionExample> test) {

    /** Copies the lists. */
    public DataSplits {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /**
     * Shuffles examples with the seed and cuts them: {@code floor(n * validationFraction)} validation and
     * {@code floor(n * testFraction)} test examples (each at least one when its fraction is positive and
     * enough examples remain), the rest training.
     *
     * @param examples the examples
     * @param validationFraction share for validation, in [0, 1)
     * @param testFraction share for test, in [0, 1)
     * @param seed the shuffle seed
     * @return the splits, training non-empty
     * @throws ConfigException naming {@code data.validation_fraction} if no training example would remain
     */
    public static DataSplits split(List<InstructionExample> examples, double validationFraction,
            double testFraction, long seed) {
        List<InstructionExample> s = Shuffle.copy(examples, new SplittableRandom(seed));
        int n = s.size();
        int nVal = (int) Math.floor(n * validationFraction);
        int nTest = (int) Math.floor(n * testFraction);
        if (validationFraction > 0 && nVal == 0 && n - nTest >= 2) {
            nVal = 1;
        }
        if (testFraction > 0 && nTest == 0 && n - nVal >= 2) {
            nTest = 1;
        }
        ConfigException.require(n - nVal - nTest >= 1, "data.validation_fraction", validationFraction,
                "leaves no training example for a client with " + n + " examples (test fraction " + testFraction + ")");
        return new DataSplits(s.subList(nVal + nTest, n), s.subList(0, nVal), s.subList(nVal, nVal + nTest));
    }
}
