/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a part:
 * the bytes go to a temporary file in the same directory, which is forced to disk and then renamed over the
 * target; the directory is forced too, so that the rename survives a crash.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface ContentWriter {
        /**
         * Writes the content.
         *
         * @param out the stream (buffered; closing it only flushes it)
         * @throws IOException on failure, which leaves the target untouched
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Atomically replaces {@code target} with what {@code writer} writes.
     *
     * @param target the file to write
     * @param writer produces the content
     * @throws IOException if writing fails; the target is then unchanged and the temporary file removed
     */
    public static void write(Path target, ContentWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                // close() only flushes: closing the channel here would lose the force below
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems do not allow opening a directory; the rename is still atomic there.
        }
    }
}
