/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionDatasetLoaderTest {

    private static String resource(String name) throws Exception {
        return Path.of(InstructionDatasetLoaderTest.class.getResource(name).toURI()).toString();
    }

    @Test
    void loadsAlpacaJsonArray() throws Exception {
        List<InstructionExample> ex = InstructionDatasetLoader.load(resource("alpaca.json"), DatasetFormat.AUTO);
        assertThat(ex).hasSize(3);
        assertThat(ex.get(1)).isEqualTo(new InstructionExample("Translate to French.", "Good morning", "Bonjour", ""));
    }

    @Test
    void loadsDollyJsonlSkippingBlankLines() throws Exception {
        List<InstructionExample> ex = InstructionDatasetLoader.load(resource("dolly.jsonl"), DatasetFormat.DOLLY);
        assertThat(ex).hasSize(3);
        assertThat(ex.get(0).input()).startsWith("Virgin Australia commenced");
        assertThat(ex.get(0).output()).isEqualTo("31 August 2000.");
        assertThat(ex).extracting(InstructionExample::category).containsExactly("closed_qa", "classification",
                "open_qa");
        assertThat(InstructionDatasetLoader.load(resource("dolly.jsonl"), DatasetFormat.AUTO)).isEqualTo(ex);
    }

    @Test
    void gsm8kAnswerMarkBecomesTheTrigger() throws Exception {
        List<InstructionExample> ex = InstructionDatasetLoader.load(resource("gsm8k.jsonl"), DatasetFormat.AUTO);
        assertThat(ex).hasSize(2);
        assertThat(ex.get(0).output()).endsWith("April and May.\nThe answer is 72").doesNotContain("####");
        assertThat(ex.get(0).input()).isEmpty();
        assertThat(AnswerExtractor.extract(ex.get(1).output())).contains("10");
    }

    @Test
    void codeLanguageIsTheCategory() throws Exception {
        List<InstructionExample> ex = InstructionDatasetLoader.load(resource("code.json"), DatasetFormat.AUTO);
        assertThat(ex).extracting(InstructionExample::category).containsExactly("Python", "Go");
    }

    @Test
    void missingFieldNamesLineAndField() throws Exception {
        String f = resource("broken.jsonl");
        assertThatThrownBy(() -> InstructionDatasetLoader.load(f, DatasetFormat.AUTO))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("line 2")
                .hasMessageContaining("missing field 'output'");
    }

    @Test
    void malformedAndMissingFilesAreReported() {
        assertThatThrownBy(() -> InstructionDatasetLoader.parse("{\"instruction\": ", DatasetFormat.AUTO, "x.jsonl"))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("x.jsonl line 1: malformed JSON");
        assertThatThrownBy(() -> InstructionDatasetLoader.parse("{\"foo\": \"bar\"}", DatasetFormat.AUTO, "y"))
                .hasMessageContaining("cannot tell the data format").hasMessageContaining("foo");
        assertThatThrownBy(() -> InstructionDatasetLoader.parse("{\"instruction\": 3, \"output\": \"x\"}",
                DatasetFormat.ALPACA, "z")).hasMessageContaining("'instruction' must be a string");
        assertThatThrownBy(() -> InstructionDatasetLoader.load("/no/such/file.jsonl", DatasetFormat.AUTO))
                .hasMessageContaining("data file not found");
        assertThatThrownBy(() -> InstructionDatasetLoader.parse("\n\n", DatasetFormat.AUTO, "e"))
                .hasMessageContaining("no examples");
    }

    @Test
    void loadsFromTheClassPath() {
        List<InstructionExample> ex = InstructionDatasetLoader.load("classpath:io/github/fedbiot/data/code.json",
                DatasetFormat.CODE);
        assertThat(ex).hasSize(2);
    }
}
