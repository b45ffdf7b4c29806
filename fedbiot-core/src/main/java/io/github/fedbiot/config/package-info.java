/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Immutable, validated configuration and its errors: {@link io.github.fedbiot.config.FedbiotConfig} (one record
 * per section, defaults in one place) read from YAML or JSON by {@link io.github.fedbiot.config.FedbiotConfigReader},
 * which names the dotted key of any unknown key or bad value in a {@link io.github.fedbiot.ConfigException}.
 */
package io.github.fedbiot.config;

import io.github.fedbiot.ConfigException;
