/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

class NativeRuntimeSettingsTest {
    /** The process environment as the C library (and so libgomp) sees it; Java's copy is taken at start-up. */
    private interface CEnvironment extends Library {
        String getenv(String name);
    }

    @Test
    void linuxGetsAShortOpenMpSpinUnlessTheEnvironmentChoseAPolicy() {
        assumeTrue(Platform.isLinux(), "libgomp is PyTorch's OpenMP runtime on Linux only");
        assumeTrue(System.getenv("OMP_WAIT_POLICY") == null && System.getenv("GOMP_SPINCOUNT") == null
                && Boolean.parseBoolean(System.getProperty("fedbiot.omp.tune", "true")),
                "the environment or a property chose the OpenMP waiting already");
        NativeRuntimeSettings.apply();
        CEnvironment c = Native.load("c", CEnvironment.class);
        assertThat(c.getenv("GOMP_SPINCOUNT")).isEqualTo(NativeRuntimeSettings.SPIN_COUNT);
        assertThat(c.getenv("OMP_WAIT_POLICY")).isNull();
    }
}
