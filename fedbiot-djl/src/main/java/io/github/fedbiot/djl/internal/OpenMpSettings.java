/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets {@code OMP_WAIT_POLICY=PASSIVE} for PyTorch's OpenMP runtime before the native library loads, unless
 * the environment already sets it or the system property {@code fedbiot.omp.passive} is {@code false}.
 *
 * <p>With the default (active) policy, idle OpenMP threads spin; when other processes share the cores,
 * the spinning threads steal the time the working ones need. Measured on a 2-core machine at load 6: a
 * LoRA training step of the 10m benchmark took 6.7 s with spinning threads and 0.6 s with passive ones.
 * libgomp reads the variable once, when it is loaded, so this must run before DJL's PyTorch engine starts;
 * later calls have no effect.
 */
public final class OpenMpSettings {
    private static final Logger logger = LoggerFactory.getLogger(OpenMpSettings.class);
    private static final AtomicBoolean DONE = new AtomicBoolean();

    /** The C library's {@code setenv}. */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private OpenMpSettings() {}

    /** Applies the setting once per process (a no-op after the first call or on non-POSIX systems). */
    public static void apply() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        if (!Boolean.parseBoolean(System.getProperty("fedbiot.omp.passive", "true"))
                || System.getenv("OMP_WAIT_POLICY") != null || !(Platform.isLinux() || Platform.isMac())) {
            return;
        }
        try {
            CLibrary c = Native.load("c", CLibrary.class);
            if (c.setenv("OMP_WAIT_POLICY", "PASSIVE", 0) == 0) {
                logger.debug("set OMP_WAIT_POLICY=PASSIVE for PyTorch's OpenMP threads");
            }
        } catch (RuntimeException | LinkageError e) {
            logger.debug("could not set OMP_WAIT_POLICY: {}", e.toString());
        }
    }
}
