/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void replacesTheContent() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFile.write(f, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(f)).isEqualTo("first");
        AtomicFile.write(f, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(f)).isEqualTo("second");
        assertThat(files()).containsExactly(f);
    }

    @Test
    void failingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFile.write(f, out -> {
            out.write(new byte[3 << 20]); // more than the buffer: part of it reaches the temporary file
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("old");
        assertThat(files()).containsExactly(f);

        assertThatThrownBy(() -> AtomicFile.write(f, out -> {
            out.write('x');
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(f)).isEqualTo("old");
        assertThat(files()).containsExactly(f);
    }

    @Test
    void failingWriterCreatesNoFile() throws IOException {
        Path f = dir.resolve("new.txt");
        assertThatThrownBy(() -> AtomicFile.write(f, out -> {
            throw new IOException("no");
        })).isInstanceOf(IOException.class);
        assertThat(files()).isEmpty();
    }

    @Test
    void writerMayCloseTheStream() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFile.write(f, out -> {
            out.write("closed early".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        assertThat(Files.readString(f)).isEqualTo("closed early");
    }

    @Test
    void createsParentDirectories() throws IOException {
        Path f = dir.resolve("x/y/z.bin");
        AtomicFile.write(f, out -> out.write(new byte[] {1, 2, 3}));
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
    }

    @Test
    void keepsThePermissionsOfTheReplacedFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path f = dir.resolve("a.bin");
        Files.writeString(f, "old");
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, perms);
        AtomicFile.write(f, out -> out.write(1));
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(perms);
    }

    @Test
    void newFileGetsTheDefaultPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path f = dir.resolve("atomic");
        AtomicFile.write(f, out -> out.write(1));
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void failedRenameLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child")); // a non-empty directory cannot be replaced
        assertThatThrownBy(() -> AtomicFile.write(target, out -> out.write(1))).isInstanceOf(IOException.class);
        assertThat(files()).containsExactly(target);
        assertThat(Files.isDirectory(target.resolve("child"))).isTrue();
    }

    @Test
    void removesOnlyTheTemporaryFilesOfInterruptedWrites() throws IOException {
        Path stale = Files.writeString(dir.resolve(".checkpoint.safetensors.3w5e11264sgsf.tmp"), "half");
        Path stale2 = Files.writeString(dir.resolve(".metrics.jsonl.a.tmp"), "");
        Path users = Files.writeString(dir.resolve("notes.tmp"), "mine");
        Path hidden = Files.writeString(dir.resolve(".hidden.tmp"), "mine");
        Path target = Files.writeString(dir.resolve("checkpoint.safetensors"), "ok");
        assertThat(AtomicFile.removeStaleTemporaries(dir)).containsExactlyInAnyOrder(stale, stale2);
        assertThat(files()).containsExactlyInAnyOrder(users, hidden, target);
        assertThat(AtomicFile.removeStaleTemporaries(dir.resolve("absent"))).isEmpty();
    }
}
