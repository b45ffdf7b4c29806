/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void withoutInput() {
        String p = PromptTemplate.prompt(new InstructionExample("Say hi.", "", "hi", ""));
        assertThat(p).isEqualTo("Below is an instruction that describes a task. Write a response that appropriately "
                + "completes the request.\n\n### Instruction:\nSay hi.\n\n### Response:\n");
    }

    @Test
    void withInput() {
        String p = PromptTemplate.prompt(new InstructionExample("Translate.", "Guten Tag", "Good day", ""));
        assertThat(p).isEqualTo("Below is an instruction that describes a task, paired with an input that provides "
                + "further context. Write a response that appropriately completes the request.\n\n"
                + "### Instruction:\nTranslate.\n\n### Input:\nGuten Tag\n\n### Response:\n");
    }

    @Test
    void blankInputCountsAsNone() {
        assertThat(PromptTemplate.prompt(new InstructionExample("x", "  ", "y", ""))).doesNotContain("### Input:");
    }
}
