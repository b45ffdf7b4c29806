/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.proto.Node;
import java.util.function.LongSupplier;

/**
 * The node's current id, as the Fleet requests and the log lines of the node's parts need it. It is read on every
 * use because it changes when the node registers again with a SuperLink that forgot it.
 */
final class NodeRef {
    private final LongSupplier nodeId;

    NodeRef(LongSupplier nodeId) {
        this.nodeId = nodeId;
    }

    /** Returns the id as a Fleet {@code Node}. */
    Node proto() {
        return Node.newBuilder().setNodeId(nodeId.getAsLong()).build();
    }

    /** Returns the id as Flower prints it (uint64). */
    String id() {
        return Long.toUnsignedString(nodeId.getAsLong());
    }
}
