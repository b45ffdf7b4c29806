/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

/**
 * The Stanford Alpaca prompt, as FedBiOT and FS-LLM use it: one wording for examples with an input and one
 * for examples without. The model is trained to continue the prompt with the response and EOS.
 */
public final class PromptTemplate {
    /** The prompt of an example with an input; {@code %1$s} is the instruction, {@code %2$s} the input. */
    public static final String WITH_INPUT = "Below is an instruction that describes a task, paired with an input "
            + "that provides further context. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\n%1$s\n\n### Input:\n%2$s\n\n### Response:\n";

    /** The prompt of an example without an input; {@code %1$s} is the instruction. */
    public static final String WITHOUT_INPUT = "Below is an instruction that describes a task. Write a response "
            + "that appropriately completes the request.\n\n### Instruction:\n%1$s\n\n### Response:\n";

    private PromptTemplate() {}

    /**
     * Returns the prompt of an example (everything before the response).
     *
     * @param example the example
     * @return the prompt text
     */
    public static String prompt(InstructionExample example) {
        return example.input().isBlank() ? String.format(WITHOUT_INPUT, example.instruction())
                : String.format(WITH_INPUT, example.instruction(), example.input());
    }
}
