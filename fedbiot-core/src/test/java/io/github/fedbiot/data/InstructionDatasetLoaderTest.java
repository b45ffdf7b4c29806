/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.FedbiotException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void nothingIsDroppedSilently() {
        String ok = "{\"instruction\": \"a\", \"output\": \"b\"}";
        assertThatThrownBy(() -> InstructionDatasetLoader.parse(ok + "\n" + ok + " " + ok + "\n", DatasetFormat.AUTO,
                "x.jsonl")).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("x.jsonl line 2: a second JSON value at column");
        assertThatThrownBy(() -> InstructionDatasetLoader.parse("[" + ok + "]\n[" + ok + "]", DatasetFormat.AUTO,
                "a.json")).hasMessageContaining("a.json: a second JSON value at line 2, column 1");
        assertThatThrownBy(() -> InstructionDatasetLoader.parse(
                "{\"instruction\": \"a\", \"output\": \"b\", \"output\": \"c\"}", DatasetFormat.AUTO, "d.jsonl"))
                .hasMessageContaining("d.jsonl line 1").hasMessageContaining("'output'");
        assertThatThrownBy(() -> InstructionDatasetLoader.parse("[" + ok + ",", DatasetFormat.AUTO, "t.json"))
                .hasMessageContaining("t.json: malformed JSON").hasMessageNotContaining("[Source")
                .hasMessageNotContaining("REDACTED");
    }

    @Test
    void invalidUtf8AndBinaryFilesNameThePlace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.jsonl");
        Files.write(f, ("{\"instruction\": \"a\", \"output\": \"b\"}\n{\"instruction\": \"caf\u00e9\", "
                + "\"output\": \"b\"}\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> InstructionDatasetLoader.load(f.toString(), DatasetFormat.AUTO))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("latin1.jsonl is not UTF-8 at line 2")
                .hasMessageNotContaining("Input length");
        Path bin = dir.resolve("bin.json");
        Files.write(bin, new byte[] {'[', 0, 0, ']'});
        assertThatThrownBy(() -> InstructionDatasetLoader.load(bin.toString(), DatasetFormat.AUTO))
                .hasMessageContaining("NUL byte at byte offset 1");
        Path bom = dir.resolve("bom.jsonl");
        Files.write(bom, ("\uFEFF{\"instruction\": \"a\", \"output\": \"b\"}\n").getBytes(StandardCharsets.UTF_8));
        assertThat(InstructionDatasetLoader.load(bom.toString(), DatasetFormat.AUTO)).hasSize(1);
    }

    @Test
    void loadsFromTheClassPath() {
        List<InstructionExample> ex = InstructionDatasetLoader.load("classpath:io/github/fedbiot/data/code.json",
                DatasetFormat.CODE);
        assertThat(ex).hasSize(2);
    }
}
