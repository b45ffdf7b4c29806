/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.transport.FleetException;

/**
 * The SuperLink refused to register and activate the node: retrying cannot help, so the node loop ends with it
 * instead of backing off.
 */
final class NodeRefusedException extends FleetException {
    private static final long serialVersionUID = 1L;

    NodeRefusedException(String message, FleetException cause) {
        super(message, Kind.REJECTED, cause.code(), cause);
    }
}
