/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.engine;

/**
 * Told as work of a long call completes, so that a caller can show progress while the call runs: an engine
 * reports each optimizer step of {@link LocalTrainRequest} and {@link AlignRequest} (skipped steps too), the
 * evaluator each scored or generated example. Called on the working thread; it must return quickly.
 */
@FunctionalInterface
public interface StepObserver {
    /** Ignores every report. */
    StepObserver NONE = units -> {};

    /**
     * Called when some units of work are done.
     *
     * @param units how many (at least 1)
     */
    void onSteps(int units);
}
