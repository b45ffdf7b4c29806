/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

/** The functions transformers adds to a chat template's Jinja environment; Jinjava calls them by reflection. */
public final class JinjaFunctions {
    private JinjaFunctions() {}

    /**
     * Fails the rendering, as a template does when the conversation breaks its rules (e.g. roles out of order).
     *
     * @param message the template's message
     * @return never
     * @throws IllegalArgumentException always
     */
    public static String raiseException(String message) {
        throw new IllegalArgumentException(message);
    }
}
