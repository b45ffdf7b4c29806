/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The {@code fedbiot bench} subcommands other than {@code engine} (all registered in
 * {@link io.github.fedbiot.cli.BenchCommand}): matmul peak, engine speed against PyTorch eager, client cost per
 * method, simulation scale and the replication study. Each writes a JSON
 * result and PNG plots under its results directory; docs/benchmarks.md shows the latest results and the
 * commands that made them.
 */
package io.github.fedbiot.cli.bench;
