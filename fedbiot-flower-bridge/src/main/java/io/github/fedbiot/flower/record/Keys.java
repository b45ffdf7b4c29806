/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

/** Key checks shared by the records. */
final class Keys {
    private Keys() {}

    static void check(String key, String where) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a " + where + " key must be a non-empty string");
        }
    }
}
