/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import java.util.Map;

/**
 * What a handler knows besides the message: as Flower's {@code Context}.
 *
 * @param nodeId this node's id at the SuperLink (a uint64; print with {@link Long#toUnsignedString(long)})
 * @param runId the run of the message (a uint64)
 * @param nodeConfig the node's own configuration (e.g. {@code partition-id}), set on the SuperNode builder
 * @param runConfig the run's configuration as Flower computes it: the app's {@code [tool.flwr.app.config]}
 *     (nested tables flattened with dots) overridden by {@code flwr run --run-config}; values are Long, Double,
 *     Boolean or String. Empty if the SuperLink could not provide it.
 */
public record Context(long nodeId, long runId, Map<String, Object> nodeConfig, Map<String, Object> runConfig) {
    /** Copies the maps. */
    public Context {
        nodeConfig = Map.copyOf(nodeConfig);
        runConfig = Map.copyOf(runConfig);
    }
}
