/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ownership of an output directory by one run: an operating-system lock ({@link FileChannel#tryLock()}) on
 * {@value #FILE_NAME} in the directory, held until {@link #close()}, whose text names the holder (process id,
 * host, start time) so that a refused run can say who has the directory.
 *
 * <p>The operating system drops the lock when the process ends, however it ends ({@code kill -9} included), so a
 * lock is never stale. The lock file itself stays behind; it holds no state.
 */
final class RunDirectoryLock implements AutoCloseable {
    /** The lock file's name inside the output directory. */
    static final String FILE_NAME = ".fedbiot.lock";

    /**
     * The lock files this JVM holds, with their holder's text. POSIX record locks belong to the process, not to
     * the channel: closing any other descriptor of the file, even one opened only to read who holds it, drops
     * the lock. So a directory this JVM holds is refused here, without opening the file again.
     */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory for this run, creating it if needed.
     *
     * @param dir the output directory
     * @return the lock, to be closed when the run ends
     * @throws RunDirectoryException if another run holds the directory, naming it
     * @throws FedbiotException if the directory cannot be created or locked
     */
    static RunDirectoryLock acquire(Path dir) {
        Path file;
        try {
            Files.createDirectories(dir);
            file = dir.toRealPath().resolve(FILE_NAME);
        } catch (FileAlreadyExistsException e) {
            throw new FedbiotException("cannot create output directory " + dir + ": " + e.getFile()
                    + " exists and is not a directory", e);
        } catch (IOException e) {
            throw new FedbiotException("cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
        String me = describeThisProcess();
        String held = HELD.putIfAbsent(file, me);
        if (held != null) {
            throw inUse(dir, holder(held, file));
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another class loader of this JVM holds it; treated as any other holder
            }
            if (lock == null) {
                String holder = holder(readAll(ch), file);
                ch.close();
                HELD.remove(file);
                throw inUse(dir, holder);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
            return new RunDirectoryLock(file, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            HELD.remove(file);
            throw new FedbiotException("cannot lock output directory " + dir + " (" + file + "): " + e.getMessage()
                    + "; fedbiot needs a file system with file locks for its output", e);
        }
    }

    /** Releases the directory. Closing twice is harmless. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
        HELD.remove(file);
    }

    private static RunDirectoryException inUse(Path dir, String holder) {
        return new RunDirectoryException("output directory " + dir + " is in use by " + holder + "; wait for that "
                + "run to end or choose another output directory (--out)");
    }

    /** Says who holds the lock, from the text {@link #describeThisProcess} wrote. */
    private static String holder(String text, Path file) {
        Map<String, String> f = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                f.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (!f.containsKey("pid")) {
            // the holder has not written its text yet
            return "another run (its lock file " + file + " does not say which)";
        }
        return "pid " + f.get("pid") + " on host " + f.getOrDefault("host", "?") + " since "
                + f.getOrDefault("started", "?");
    }

    /** Reads the holder's text through the channel already open, so that this process keeps one descriptor. */
    private static String readAll(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // positional reads until the text (a few lines) is in
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static String describeThisProcess() {
        return "pid=" + ProcessHandle.current().pid() + "\nhost=" + hostName() + "\nstarted="
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was written through it that the run relies on
        }
    }
}
