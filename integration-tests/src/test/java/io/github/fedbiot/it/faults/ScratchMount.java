/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small tmpfs mounted for one test: a disk that fills up after a given number of bytes, or a read-only file
 * system (which even root cannot write, unlike a directory without write permission). Mounting needs root; where
 * it is refused, {@link #mounted()} is false and {@link #reason()} says why, and the test skips itself.
 */
final class ScratchMount implements AutoCloseable {
    private final Path path;
    private final boolean mounted;
    private final String reason;

    private ScratchMount(Path path, boolean mounted, String reason) {
        this.path = path;
        this.mounted = mounted;
        this.reason = reason;
    }

    static ScratchMount tmpfs(Path path, long bytes, boolean readOnly) throws IOException, InterruptedException {
        Files.createDirectories(path);
        String options = (readOnly ? "ro," : "") + "size=" + bytes;
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", path.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return new ScratchMount(path, p.waitFor() == 0, out);
    }

    Path path() {
        return path;
    }

    boolean mounted() {
        return mounted;
    }

    String reason() {
        return reason;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (mounted) {
            new ProcessBuilder("umount", path.toString()).inheritIO().start().waitFor();
        }
    }
}
