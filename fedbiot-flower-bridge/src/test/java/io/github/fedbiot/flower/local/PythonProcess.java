/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Flower command-line program (e.g. {@code flower-supernode}) started from a venv; closing stops its tree. */
public final class PythonProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private PythonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a program of the venv with output to {@code <work>/<program>-<nanos>.log}.
     *
     * @param bin the venv's bin directory
     * @param work the working directory
     * @param program e.g. {@code flower-supernode}
     * @param args its arguments
     * @return the running program
     * @throws IOException if it cannot be started
     */
    public static PythonProcess start(Path bin, Path work, String program, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(args);
        Path log = work.resolve(program + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        SuperLinkProcess.env(pb.environment(), bin, work);
        return new PythonProcess(pb.start(), log);
    }

    /** Returns whether the program still runs. @return true if so */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the program's log so far. @return the text */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the program and the processes it started. */
    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}
