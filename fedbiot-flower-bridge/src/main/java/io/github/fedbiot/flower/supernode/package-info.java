/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The Java SuperNode: registers with a Flower SuperLink, keeps a heartbeat, pulls instructions and their
 * objects, runs the {@link io.github.fedbiot.flower.app.ClientApp} and pushes the reply, reconnecting with
 * backoff when the SuperLink or network goes away.
 *
 * <p>Cut as Flower's own SuperNode is: {@link io.github.fedbiot.flower.supernode.SuperNode} is the facade that
 * wires the parts and {@link io.github.fedbiot.flower.supernode.SuperNodeBuilder} configures it; inside, the
 * session (register, activate, heartbeat, deactivate), the object puller, the instruction processor, the reply
 * outbox and the retry policy each do one job, and the node loop calls them in turn. None of them builds a Fleet
 * request: that is {@link io.github.fedbiot.flower.transport.FleetConnection}'s job.
 */
package io.github.fedbiot.flower.supernode;
