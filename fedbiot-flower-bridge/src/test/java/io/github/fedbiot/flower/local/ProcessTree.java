/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.local;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops an external process together with the processes it started (SuperExec, ServerApp, ...). */
public final class ProcessTree {
    private ProcessTree() {}

    /**
     * Asks the process and its descendants to stop, waits, and kills whatever is still running.
     *
     * @param process the root process
     */
    public static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                c.destroyForcibly();
            }
        }
    }
}
