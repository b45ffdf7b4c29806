/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/** Immutable, validated configuration and its errors. */
package io.github.fedbiot.config;
