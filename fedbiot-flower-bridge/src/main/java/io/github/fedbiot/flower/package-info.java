/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * A Java SuperNode for Flower: joins federations run by an unmodified Flower SuperLink.
 *
 * <p>{@link io.github.fedbiot.flower.app} is what a user implements, {@link io.github.fedbiot.flower.supernode}
 * runs it, {@link io.github.fedbiot.flower.transport} talks to the SuperLink, {@link io.github.fedbiot.flower.record}
 * holds Flower's records and {@link io.github.fedbiot.flower.serde} turns them into Flower's content-addressed
 * objects.
 */
package io.github.fedbiot.flower;
