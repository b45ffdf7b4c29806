/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status} (Linux): the current resident set
 * ({@code VmRSS}) and its peak ({@code VmHWM}), which covers the Java heap, the JVM itself and the native
 * memory of PyTorch alike. Elsewhere both return -1.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Returns the peak resident set size in bytes, or -1 if unknown. @return the peak */
    public static long peakRssBytes() {
        return read("VmHWM:");
    }

    /** Returns the current resident set size in bytes, or -1 if unknown. @return the current size */
    public static long rssBytes() {
        return read("VmRSS:");
    }

    private static long read(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
