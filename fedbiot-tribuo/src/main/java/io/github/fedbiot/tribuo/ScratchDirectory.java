/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary directory that is deleted, with everything in it, on close: the run directory of a training
 * run and the merged checkpoint of an ONNX export, neither of which outlives the call that made it.
 */
final class ScratchDirectory implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(ScratchDirectory.class);

    private final Path path;

    private ScratchDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates a new empty directory in the default temporary-file directory.
     *
     * @param prefix the prefix of its name
     * @return the directory
     * @throws IOException if it cannot be created
     */
    static ScratchDirectory create(String prefix) throws IOException {
        return new ScratchDirectory(Files.createTempDirectory(prefix));
    }

    /** Returns the directory. @return its path */
    Path path() {
        return path;
    }

    /** Deletes the directory tree; a failure is only logged, since a leftover temporary directory is harmless. */
    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            logger.debug("could not delete the temporary directory {}: {}", path, e.getMessage());
        }
    }
}
