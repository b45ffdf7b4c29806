/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one node remembers of one run between the stages ({@code secaggplus_mod.SecAggPlusState}). Mutable and
 * guarded by its own monitor; holds secrets, so it has no {@code toString} that shows them and
 * {@link #forgetSecrets()} wipes them after the unmask stage.
 */
final class SecAggPlusState {
    SecAggPlusStage currentStage = SecAggPlusStage.UNMASK;
    long nid;
    long shareNum;
    long threshold;
    double clippingRange;
    long targetRange;
    long modRange;
    double maxWeight;

    KeyPair keys1;
    KeyPair keys2;
    byte[] pk1;
    byte[] pk2;
    byte[] sk1Pem;
    byte[] rdSeed;

    final Map<Long, byte[]> rdSeedShares = new LinkedHashMap<>();
    final Map<Long, byte[]> sk1Shares = new LinkedHashMap<>();
    /** The keys shared with each neighbour from the second key pair (the share encryption keys). */
    final Map<Long, byte[]> ss2 = new LinkedHashMap<>();
    /** Each neighbour's (pk1, pk2), in the order the ServerApp sent them. */
    final Map<Long, byte[][]> publicKeys = new LinkedHashMap<>();

    void forgetSecrets() {
        wipe(sk1Pem);
        wipe(rdSeed);
        rdSeedShares.values().forEach(SecAggPlusState::wipe);
        sk1Shares.values().forEach(SecAggPlusState::wipe);
        ss2.values().forEach(SecAggPlusState::wipe);
        rdSeedShares.clear();
        sk1Shares.clear();
        ss2.clear();
        keys1 = null;
        keys2 = null;
        sk1Pem = null;
        rdSeed = null;
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SecAggPlusState[node=" + Long.toUnsignedString(nid) + ", stage=" + currentStage + "]";
    }
}
