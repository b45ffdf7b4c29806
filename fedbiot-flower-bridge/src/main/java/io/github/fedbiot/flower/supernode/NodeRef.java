/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

/**
 * The node's current id, shared by the node's parts for their Fleet calls and log lines. It is read on every use
 * because it changes when the node registers again with a SuperLink that forgot it; only {@link NodeSession} sets
 * it. 0 before the first activation.
 */
final class NodeRef {
    private volatile long nodeId;

    /** Returns the id. */
    long value() {
        return nodeId;
    }

    /** Records the id the SuperLink assigned on activation. */
    void set(long id) {
        nodeId = id;
    }

    /** Returns the id as Flower prints it (uint64). */
    String id() {
        return Long.toUnsignedString(nodeId);
    }
}
