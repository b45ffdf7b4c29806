/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/** The {@code fedbiot} command-line tool (picocli). */
package io.github.fedbiot.cli;
