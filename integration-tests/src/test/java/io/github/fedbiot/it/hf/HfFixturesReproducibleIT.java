/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fedbiot.tensor.SafetensorsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * In the {@code hf-live} profile only: checks that the committed fixtures are what
 * {@code python/make_hf_fixtures.py} writes with the pinned versions, by comparing them with the copy the
 * profile has just regenerated ({@code fedbiot.hf.fixtures}). Same files; JSON files equal as trees; same
 * tensors with the same dtype and shape, weights within 1e-6 and logits within 1e-4 (a different CPU may
 * round differently).
 */
@EnabledIfSystemProperty(named = HfFixtures.PROPERTY, matches = ".+")
class HfFixturesReproducibleIT {

    @Test
    void committedFixturesAreWhatThePinnedVersionsWrite() throws IOException {
        Path committed = HfFixtures.committed();
        Path fresh = HfFixtures.root();
        List<String> committedFiles = files(committed);
        assertEquals(committedFiles, files(fresh), "the regenerated fixtures have other files");
        double worstLogits = 0;
        for (String rel : committedFiles) {
            Path a = committed.resolve(rel);
            Path b = fresh.resolve(rel);
            if (rel.endsWith(".json")) {
                assertEquals(HfFixtures.json(a), HfFixtures.json(b), rel);
            } else if (rel.endsWith(".safetensors")) {
                worstLogits = Math.max(worstLogits, compareTensors(rel, a, b));
            } else {
                assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), rel);
            }
        }
        System.out.printf("[hf-live] %d fixture files match the regenerated ones (max logit diff %.3e)%n",
                committedFiles.size(), worstLogits);
    }

    private static double compareTensors(String rel, Path a, Path b) {
        double worstLogits = 0;
        try (SafetensorsReader ra = SafetensorsReader.open(a); SafetensorsReader rb = SafetensorsReader.open(b)) {
            assertEquals(ra.names(), rb.names(), rel + ": tensor names");
            for (String n : ra.names()) {
                assertEquals(ra.dtype(n), rb.dtype(n), rel + " " + n + ": dtype");
                assertArrayEquals(ra.shape(n), rb.shape(n), rel + " " + n + ": shape");
                if (!ra.dtype(n).isFloatingPoint()) {
                    assertArrayEquals(ra.readLongs(n), rb.readLongs(n), rel + " " + n);
                    continue;
                }
                double d = HfFixtures.maxAbsDiff(ra.read(n).data(), rb.read(n).data());
                boolean logits = n.startsWith("logits");
                assertTrue(d <= (logits ? 1e-4 : 1e-6), rel + " " + n + " differs by " + d);
                if (logits) {
                    worstLogits = Math.max(worstLogits, d);
                }
            }
        }
        return worstLogits;
    }

    private static List<String> files(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
