/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

/**
 * How a simulation with an output directory treats what the directory already holds. In every mode the run
 * first takes the directory (a second run into it at the same time is refused), and a refusal changes nothing
 * there.
 */
public enum RunMode {
    /** Starts at round 0; refused if the directory holds an earlier run's checkpoint, metrics or summary. */
    FRESH,
    /**
     * Continues from the directory's checkpoint; refused if there is none, if it is damaged, if the configuration
     * or an input file differs, or if it is past the rounds asked for.
     */
    RESUME,
    /** Starts at round 0 after removing an earlier run's checkpoint, metrics and summary from the directory. */
    OVERWRITE
}
