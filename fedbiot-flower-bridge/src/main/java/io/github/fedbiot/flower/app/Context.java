/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import java.util.Map;

/**
 * What a handler knows besides the message: as Flower's {@code Context}.
 *
 * @param nodeId this node's id at the SuperLink
 * @param runId the run of the message
 * @param nodeConfig the node's own configuration (e.g. {@code partition-id}), set on the SuperNode builder
 */
public record Context(long nodeId, long runId, Map<String, Object> nodeConfig) {
    /** Copies the node configuration. */
    public Context {
        nodeConfig = Map.copyOf(nodeConfig);
    }
}
