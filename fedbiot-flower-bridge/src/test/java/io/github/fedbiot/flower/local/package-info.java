/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * A local Flower deployment for tests and benchmarks: a real {@code flower-superlink} and Flower's Python
 * programs (e.g. {@code flower-supernode}) started from a pinned venv on loopback ports, and stopped with every
 * process they spawned. Not needed to run a {@link io.github.fedbiot.flower.supernode.SuperNode}: test code,
 * published in the bridge's test-jar for integration-tests and benchmarks.
 */
package io.github.fedbiot.flower.local;
