/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The client side of Flower's SecAgg+ secure aggregation ({@code flwr.client.mod.secaggplus_mod}, flwr 1.42.0):
 * a mod that wraps a node's {@code train} handler so that an unmodified ServerApp running
 * {@code SecAggPlusWorkflow} learns only the sum of the nodes' quantized, masked updates. Every primitive
 * reproduces the bytes of the Python implementation: ECDH on P-384 with PEM keys, HKDF-SHA256, Fernet tokens,
 * pycryptodome's Shamir shares over GF(2^128), NumPy's legacy {@code RandomState} masks.
 *
 * @see <a href="https://eprint.iacr.org/2020/704">Bell et al., Secure Single-Server Aggregation with
 *     (Poly)Logarithmic Overhead (CCS 2020)</a>
 */
package io.github.fedbiot.flower.secagg;
