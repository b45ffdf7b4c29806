/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

/**
 * Thrown when a run refuses what it was asked to do with its output directory, before it changes anything
 * there: the directory is in use by another run, holds an earlier run that a fresh start would overwrite, has no
 * checkpoint to resume, or holds a checkpoint past the rounds asked for. The message says what to change (an
 * option such as {@code --out}, {@code --resume}, {@code --rounds} or {@code --overwrite}), so a command line
 * reports it as a user error.
 */
public class RunDirectoryException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is refused and why, naming the directory
     */
    public RunDirectoryException(String message) {
        super(message);
    }
}
