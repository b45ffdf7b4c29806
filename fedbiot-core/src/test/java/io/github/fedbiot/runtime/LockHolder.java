/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import java.io.IOException;
import java.nio.file.Path;

/** A second process for {@link RunIntegrityTest}: holds an output directory until its standard input ends. */
public final class LockHolder {
    private LockHolder() {}

    /**
     * Takes the directory, says {@code locked}, and waits.
     *
     * @param args the output directory
     * @throws IOException if standard input fails
     */
    public static void main(String[] args) throws IOException {
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes the pipe or kills this process
            }
        }
    }
}
