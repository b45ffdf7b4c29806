/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The Java SuperNode: registers with a Flower SuperLink, keeps a heartbeat, pulls instructions and their
 * objects, runs the {@link io.github.fedbiot.flower.app.ClientApp} and pushes the reply, reconnecting with
 * backoff when the SuperLink or network goes away.
 */
package io.github.fedbiot.flower.supernode;
