/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/library.md shows the code and the dependencies of the simulation consumer project (src/it/simulation),
 * which the invoker builds against the installed artifacts and runs: so what the page tells a user is what
 * was run. Regions are marked {@code tag::name[]} / {@code end::name[]} in the project's files; lines are
 * compared without their indentation, since the page indents its snippets less.
 */
class ConsumerDocsIT {
    private static final Path CONSUMER = Path.of("src/it/simulation");
    private static final Path DOC = Path.of(System.getProperty("fedbiot.root", ".."), "docs/library.md");

    @Test
    void libraryPageShowsTheConsumersProgram() throws IOException {
        String source = Files.readString(
                CONSUMER.resolve("src/test/java/com/example/federation/FederatedTuningTest.java"));
        String doc = normalized(Files.readString(DOC));
        assertThat(doc).contains(region(source, "// ", "imports")).contains(region(source, "// ", "quickstart"));
    }

    @Test
    void libraryPageShowsTheConsumersDependencies() throws IOException {
        String pom = Files.readString(CONSUMER.resolve("pom.xml"))
                .replace("@project.version@", System.getProperty("fedbiot.version"));
        String doc = normalized(Files.readString(DOC));
        assertThat(doc).contains(region(pom, "<!-- ", "bom")).contains(region(pom, "<!-- ", "dependencies"));
    }

    /** The lines between the tag's start and end markers, each stripped of its indentation. */
    private static String region(String text, String commentStart, String name) {
        String start = commentStart + "tag::" + name + "[]";
        String end = commentStart + "end::" + name + "[]";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        assertThat(from).as("marker %s", start).isNotNegative();
        assertThat(to).as("marker %s", end).isGreaterThan(from);
        return normalized(text.substring(text.indexOf('\n', from) + 1, text.lastIndexOf('\n', to)));
    }

    private static String normalized(String text) {
        return text.lines().map(String::strip).collect(Collectors.joining("\n"));
    }
}
