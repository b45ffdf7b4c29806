/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

/** The record and config keys of SecAgg+, as flwr's {@code secaggplus_constants} names them. */
public final class SecAggPlusKey {
    /** The ConfigRecord that carries the protocol in both directions. */
    public static final String RECORD_KEY_CONFIGS = "secaggplus_configs";
    /** The stage of an instruction. */
    public static final String STAGE = "stage";
    /** The number of sampled nodes. */
    public static final String SAMPLE_NUMBER = "sample_num";
    /** The number of shares of each secret. */
    public static final String SHARE_NUMBER = "share_num";
    /** The number of shares that reconstruct a secret. */
    public static final String THRESHOLD = "threshold";
    /** Updates are clipped to [-clipping_range, clipping_range]. */
    public static final String CLIPPING_RANGE = "clipping_range";
    /** Quantized values lie in [0, target_range]. */
    public static final String TARGET_RANGE = "target_range";
    /** Masked values are taken modulo mod_range. */
    public static final String MOD_RANGE = "mod_range";
    /** The largest expected number of examples of one node. */
    public static final String MAX_WEIGHT = "max_weight";
    /** The public key of the pairwise masks. */
    public static final String PUBLIC_KEY_1 = "pk1";
    /** The public key that encrypts the shares. */
    public static final String PUBLIC_KEY_2 = "pk2";
    /** The destinations of the encrypted shares. */
    public static final String DESTINATION_LIST = "dsts";
    /** The encrypted shares. */
    public static final String CIPHERTEXT_LIST = "ctxts";
    /** The sources of the forwarded encrypted shares. */
    public static final String SOURCE_LIST = "srcs";
    /** The masked update. */
    public static final String MASKED_PARAMETERS = "masked_params";
    /** The neighbours that sent their masked update. */
    public static final String ACTIVE_NODE_ID_LIST = "active_nids";
    /** The neighbours that dropped out. */
    public static final String DEAD_NODE_ID_LIST = "dead_nids";
    /** The owners of the returned shares. */
    public static final String NODE_ID_LIST = "nids";
    /** The returned shares. */
    public static final String SHARE_LIST = "shares";

    private SecAggPlusKey() {}
}
