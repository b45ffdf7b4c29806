/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The files of an output directory, byte for byte, to show that a refused run changed none of them. */
public final class RunFiles {
    private RunFiles() {}

    /**
     * Reads every regular file of a directory but the lock file (each run that takes the directory writes its
     * name there).
     *
     * @param dir the output directory
     * @return file name to content
     * @throws IOException if a file cannot be read
     */
    public static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals(RunDirectoryLock.FILE_NAME) && Files.isRegularFile(p)) {
                    out.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    /**
     * Asserts that a directory holds exactly the files of a snapshot, with the same bytes.
     *
     * @param before what {@link #snapshot} returned
     * @param dir the directory
     * @throws IOException if a file cannot be read
     */
    public static void assertUnchanged(Map<String, byte[]> before, Path dir) throws IOException {
        Map<String, byte[]> now = snapshot(dir);
        assertThat(now.keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(now.get(k)).as(k).isEqualTo(v));
    }
}
