/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The pinned Flower installs that the interop tests and the Flower benchmark run against: a venv made by
 * {@code tools/python-venv.sh} from {@code python/flower/requirements-flwr*.txt}, cached under the repository's
 * {@code .cache/venv} (or {@code $FEDBIOT_VENV_ROOT}).
 */
public final class FlowerEnv {
    /** The venv of the newest pinned Flower (HTTP Fleet API). */
    public static final String VENV = "flwr-1.42";
    /** The requirements of {@link #VENV}, relative to the repository root. */
    public static final String REQUIREMENTS = "python/flower/requirements-flwr.txt";

    private FlowerEnv() {}

    /**
     * Returns the repository root: the {@code fedbiot.root} system property, else the first of the working
     * directory and its parents that holds {@code tools/python-venv.sh}.
     *
     * @return the root
     * @throws IllegalStateException if there is none
     */
    public static Path root() {
        String r = System.getProperty("fedbiot.root");
        if (r != null) {
            Path p = Path.of(r);
            if (Files.exists(p.resolve("tools/python-venv.sh"))) {
                return p;
            }
            throw new IllegalStateException("fedbiot.root " + p + " holds no tools/python-venv.sh");
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("tools/python-venv.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (tools/python-venv.sh) from " + cwd);
    }

    /**
     * Returns the venv's bin directory for a requirements file, creating the venv on first use (needs PyPI).
     *
     * @param name the venv's name, e.g. {@value #VENV}
     * @param requirements the requirements file, relative to the repository root
     * @return the bin directory
     * @throws IOException if the script cannot be started
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static synchronized Path venvBin(String name, String requirements) throws IOException, InterruptedException {
        Path root = root();
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("tools/python-venv.sh").toString(), name,
                root.resolve(requirements).toString()).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putIfAbsent("FEDBIOT_VENV_ROOT", root.resolve(".cache/venv").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("tools/python-venv.sh " + name + " failed (exit " + p.exitValue() + ")");
        }
        return Path.of(out.lines().reduce((a, b) -> b).orElseThrow()).resolve("bin");
    }

    /**
     * Returns a loopback port that was free a moment ago.
     *
     * @return the port
     * @throws IOException if no socket can be opened
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
