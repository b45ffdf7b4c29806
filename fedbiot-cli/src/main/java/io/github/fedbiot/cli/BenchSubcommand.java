/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import java.util.concurrent.Callable;

/**
 * A {@code fedbiot bench} subcommand from outside the CLI jar: the benchmarks module implements it with picocli
 * {@code @Command} classes and lists them in {@code META-INF/services/io.github.fedbiot.cli.BenchSubcommand};
 * {@link BenchCommand} finds them with {@link java.util.ServiceLoader}, so the product jar carries no benchmark
 * code. The call returns the exit code.
 */
public interface BenchSubcommand extends Callable<Integer> {}
