/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.serde.ObjectLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The settings a {@link SuperNode} runs with, validated once; {@link SuperNodeBuilder} explains each.
 *
 * @param heartbeatInterval the interval announced to the SuperLink, 10 s to 1800 s (Flower's range)
 * @param pollInterval the pause after an empty PullMessages
 * @param minBackoff the first delay while the SuperLink is unreachable
 * @param maxBackoff the largest such delay
 * @param activationWait how long activation is retried while the SuperLink counts the key as online
 * @param limits the limits on received objects
 * @param chunkSize the ArrayChunk size of replies
 * @param nodeConfig the node configuration handed to handlers
 * @param shutdownHook whether a JVM shutdown hook closes the node
 */
record SuperNodeConfig(Duration heartbeatInterval, Duration pollInterval, Duration minBackoff, Duration maxBackoff,
        Duration activationWait, ObjectLimits limits, int chunkSize, Map<String, Object> nodeConfig,
        boolean shutdownHook) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming the bad setting and its value
     */
    SuperNodeConfig {
        long hb = heartbeatInterval.toSeconds();
        if (hb < 10 || hb > 1800) {
            throw new IllegalArgumentException("heartbeat interval must be 10 s to 1800 s (Flower's range), got "
                    + heartbeatInterval);
        }
        if (pollInterval.isNegative() || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("poll interval and backoff must be >= 0 with max >= min, got poll "
                    + pollInterval + ", backoff " + minBackoff + ".." + maxBackoff);
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, got " + chunkSize);
        }
        Objects.requireNonNull(activationWait, "activationWait");
        Objects.requireNonNull(limits, "limits");
        nodeConfig = Map.copyOf(nodeConfig);
    }
}
