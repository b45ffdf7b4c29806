/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import java.util.Objects;

/**
 * One instruction-tuning example, in the Alpaca layout every loader maps its format to.
 *
 * @param instruction the task
 * @param input optional context (empty when there is none)
 * @param output the reference response
 * @param category the example's category (Dolly category, code language, task module); empty when unknown
 */
public record InstructionExample(String instruction, String input, String output, String category) {

    /** Rejects null fields (use the empty string instead). */
    public InstructionExample {
        Objects.requireNonNull(instruction, "instruction");
        input = input == null ? "" : input;
        Objects.requireNonNull(output, "output");
        category = category == null ? "" : category;
    }
}
