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
 * Tunes the two parts of the native runtime under PyTorch that decide CPU throughput here, once per process
 * and before the PyTorch library loads. Each can be switched off with a system property.
 *
 * <ul>
 *   <li><b>OpenMP waiting</b> ({@code fedbiot.omp.tune}, default true), unless the environment sets
 *       {@code OMP_WAIT_POLICY} or {@code GOMP_SPINCOUNT}: on Linux, where PyTorch brings GNU libgomp,
 *       {@code GOMP_SPINCOUNT=3000}, i.e. an idle OpenMP thread spins for a few tens of microseconds and then
 *       sleeps; elsewhere {@code OMP_WAIT_POLICY=PASSIVE}. libgomp's own default spins for about 3 ms after
 *       every parallel region: on a 2-core machine at load 6 that made a 10m training step take 6.7 s instead
 *       of 0.6 s, because spinning threads steal the time the working ones need. Sleeping at once (PASSIVE)
 *       avoids that, but then every operation pays a thread wake-up, which halved forward speed on the 1M
 *       model. A short spin keeps the threads awake across the back-to-back operations of a step and costs
 *       nothing measurable under load (measurements in docs/djl-engine.md). libgomp reads these variables
 *       once, when it loads, so this must run before DJL's PyTorch engine starts.</li>
 *   <li><b>glibc malloc thresholds</b> ({@code fedbiot.malloc.tune}, default true, Linux with glibc only):
 *       {@code mallopt(M_MMAP_THRESHOLD, 1 GiB)} and {@code mallopt(M_TRIM_THRESHOLD, 2 GiB)}. By default
 *       glibc serves every block above 32 MiB with a fresh {@code mmap} and unmaps it on free, so the
 *       logits, their log-softmax and their gradients (54 MiB each for B 8 x T 128 over a 13k vocabulary)
 *       were page-faulted in anew on every step. Keeping them in the heap raised the 10m benchmark from
 *       3,200 to 4,100 training tokens/s and from 7,100 to 9,200 forward tokens/s on 2 cores. The cost:
 *       freed memory stays with the process (RSS keeps its high-water mark).</li>
 * </ul>
 */
public final class NativeRuntimeSettings {
    private static final Logger logger = LoggerFactory.getLogger(NativeRuntimeSettings.class);
    private static final AtomicBoolean DONE = new AtomicBoolean();

    /** libgomp spin iterations before an idle thread sleeps (about 100 per microsecond by libgomp's estimate). */
    static final String SPIN_COUNT = "3000";

    // glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int MMAP_THRESHOLD_BYTES = 1 << 30;
    private static final int TRIM_THRESHOLD_BYTES = Integer.MAX_VALUE;

    /** The C library functions used (JNA binds each on first call, so glibc-only ones fail only then). */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        int mallopt(int param, int value);

        String gnu_get_libc_version();
    }

    private NativeRuntimeSettings() {}

    /** Applies the settings once per process (a no-op after the first call or where they do not apply). */
    public static void apply() {
        if (!DONE.compareAndSet(false, true) || !(Platform.isLinux() || Platform.isMac())) {
            return;
        }
        CLibrary c;
        try {
            c = Native.load("c", CLibrary.class);
        } catch (RuntimeException | LinkageError e) {
            logger.debug("could not load the C library: {}", e.toString());
            return;
        }
        if (enabled("fedbiot.omp.tune") && System.getenv("OMP_WAIT_POLICY") == null
                && System.getenv("GOMP_SPINCOUNT") == null) {
            String name = Platform.isLinux() ? "GOMP_SPINCOUNT" : "OMP_WAIT_POLICY";
            String value = Platform.isLinux() ? SPIN_COUNT : "PASSIVE";
            if (c.setenv(name, value, 0) == 0) {
                logger.debug("set {}={} for PyTorch's OpenMP threads", name, value);
            }
        }
        if (enabled("fedbiot.malloc.tune") && Platform.isLinux() && isGlibc(c)) {
            try {
                boolean ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
                        && c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1;
                logger.debug("glibc malloc thresholds {}", ok ? "set" : "not accepted");
            } catch (UnsatisfiedLinkError e) {
                logger.debug("mallopt unavailable: {}", e.toString());
            }
        }
    }

    private static boolean enabled(String property) {
        return Boolean.parseBoolean(System.getProperty(property, "true"));
    }

    private static boolean isGlibc(CLibrary c) {
        // musl also exports mallopt but ignores these parameters; only glibc's meaning is wanted
        try {
            c.gnu_get_libc_version();
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
