/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

/**
 * Turns an instruction example into the prompt the model continues with the response and EOS. The
 * configuration picks one with {@code data.prompt_template} ({@link PromptTemplates}); the default,
 * {@link #ALPACA}, is the Stanford Alpaca prompt as FedBiOT and FS-LLM use it: one wording for examples with
 * an input and one for examples without.
 */
public interface PromptTemplate {
    /** The Alpaca prompt of an example with an input; {@code %1$s} is the instruction, {@code %2$s} the input. */
    String WITH_INPUT = "Below is an instruction that describes a task, paired with an input "
            + "that provides further context. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\n%1$s\n\n### Input:\n%2$s\n\n### Response:\n";

    /** The Alpaca prompt of an example without an input; {@code %1$s} is the instruction. */
    String WITHOUT_INPUT = "Below is an instruction that describes a task. Write a response "
            + "that appropriately completes the request.\n\n### Instruction:\n%1$s\n\n### Response:\n";

    /** The Alpaca prompt ({@code data.prompt_template: alpaca}, the default). */
    PromptTemplate ALPACA = example -> example.input().isBlank()
            ? String.format(WITHOUT_INPUT, example.instruction())
            : String.format(WITH_INPUT, example.instruction(), example.input());

    /**
     * Returns the prompt of an example (everything before the response).
     *
     * @param example the example
     * @return the prompt text
     */
    String render(InstructionExample example);

    /**
     * Returns whether the rendered text already holds the special tokens a sequence starts with (a chat
     * template writes its own BOS), so the encoder must not add the tokenizer's; transformers'
     * {@code apply_chat_template(tokenize=True)} likewise encodes without special tokens.
     *
     * @return true if the encoder adds no leading special tokens
     */
    default boolean includesSpecialTokens() {
        return false;
    }

    /**
     * Returns the Alpaca prompt of an example (everything before the response).
     *
     * @param example the example
     * @return the prompt text
     */
    static String prompt(InstructionExample example) {
        return ALPACA.render(example);
    }
}
