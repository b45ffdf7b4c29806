/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The {@code fedbiot bench} subcommands, outside the product jar: each is a
 * {@link io.github.fedbiot.cli.BenchSubcommand} listed in {@code META-INF/services}, which the CLI's
 * {@code bench} group finds on the class path (bin/fedbiot adds this module's jar once it is built). They
 * measure the engine ({@code engine}), the matmul peak, engine speed against PyTorch eager, client cost per
 * method, simulation scale, Flower overhead and wire bytes and the replication study, some in child JVMs
 * ({@link io.github.fedbiot.benchmarks.ChildJvm}); each writes a JSON result and PNG plots under its results
 * directory, and docs/benchmarks.md shows the latest results and the commands that made them. The JMH
 * micro-benchmarks of the server's per-round arithmetic on heap tensors (FedAvg over client LoRA updates and
 * safetensors round trips, at the LoRA sizes of a SmolLM2-135M-shaped model) live here too.
 */
package io.github.fedbiot.benchmarks;
