/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Converts {@link io.github.fedbiot.flower.record.Message}s to and from Flower's content-addressed objects
 * ({@code "<Type> <child ids> <body length>" 0x00 body}, id = SHA-256 of the bytes) and records to and from
 * Flower's protobuf messages. Byte-compatible with flwr's {@code InflatableObject.deflate}.
 */
package io.github.fedbiot.flower.serde;
