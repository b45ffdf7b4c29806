/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.algorithm;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds for the components of a run from the root seed, a component name and numbers
 * (round, client), with the SplitMix64 finaliser. Seeds derived this way depend on nothing else, so a resumed
 * run draws exactly what the uninterrupted run drew.
 */
public final class Seeds {
    private Seeds() {}

    /**
     * Derives a seed.
     *
     * @param root the root seed
     * @param component what the seed is for, e.g. {@code "sampling"}
     * @param parts further numbers, e.g. the round
     * @return the derived seed
     */
    public static long derive(long root, String component, long... parts) {
        long h = mix(root ^ 0x632BE59BD9B4E019L);
        for (byte b : component.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        for (long p : parts) {
            h = mix(h ^ p);
        }
        return h;
    }

    /**
     * Derives a seed that also depends on a client id.
     *
     * @param root the root seed
     * @param component what the seed is for
     * @param clientId the client id
     * @param round the round
     * @return the derived seed
     */
    public static long forClient(long root, String component, String clientId, long round) {
        return derive(derive(root, component, round), clientId);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
