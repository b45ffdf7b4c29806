/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Flower's client-side differential-privacy mods for the Java node:
 * {@link io.github.fedbiot.flower.app.mod.FixedClippingMod} and
 * {@link io.github.fedbiot.flower.app.mod.AdaptiveClippingMod} (flwr 1.42.0 {@code centraldp_mods.py}).
 */
package io.github.fedbiot.flower.app.mod;
