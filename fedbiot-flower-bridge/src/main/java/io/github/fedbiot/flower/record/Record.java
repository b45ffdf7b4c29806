/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

/** A record of a {@link RecordDict}: one of Flower's three record kinds. */
public sealed interface Record permits ArrayRecord, MetricRecord, ConfigRecord {
    /** Returns the number of entries. @return the size */
    int size();
}
