/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The Fleet API over protobuf-over-HTTP ({@code POST /v1/fleet/<rpc>}, {@code application/protobuf}), the only
 * Fleet transport of flwr 1.43+ and the default from 1.40, built on {@link java.net.http.HttpClient}.
 */
package io.github.fedbiot.flower.transport.http;
