/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Per-round metrics ({@link io.github.fedbiot.metrics.RoundRecord}: losses, alignment terms, AdapEmu/AdapFu
 * scores, bytes per client, wall time, memory) written as JSON Lines and CSV by
 * {@link io.github.fedbiot.metrics.MetricsWriter}. Plotting lives in the command line module.
 */
package io.github.fedbiot.metrics;
