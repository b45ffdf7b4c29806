/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

/** How a sampled client's part of a round ended. */
public enum ClientStatus {
    /** Its update arrived in time (it may still be rejected by validation). */
    OK("ok"),
    /** It dropped out before training. */
    DROPPED("dropped"),
    /** It trained but missed the deadline; its update was discarded. */
    TIMED_OUT("timed-out"),
    /** Its training threw; it sent nothing. */
    FAILED("failed");

    private final String id;

    ClientStatus(String id) {
        this.id = id;
    }

    /** Returns the name shown in logs and progress lines, e.g. {@code timed-out}. @return the id */
    public String id() {
        return id;
    }
}
