/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The pinned Flower installs the interop tests run against: a venv made by {@code tools/python-venv.sh} from
 * {@code python/flower/requirements-flwr*.txt}, cached under {@code .cache/venv}.
 */
final class FlowerEnv {
    private FlowerEnv() {}

    static Path root() {
        String r = System.getProperty("fedbiot.root");
        Path p = r != null ? Path.of(r) : Path.of("").toAbsolutePath().getParent();
        if (!Files.exists(p.resolve("tools/python-venv.sh"))) {
            throw new IllegalStateException("cannot find the repository root (tools/python-venv.sh) from " + p);
        }
        return p;
    }

    /** Returns the venv's bin directory for a requirements file, creating the venv on first use. */
    static synchronized Path venvBin(String name, String requirements) throws IOException, InterruptedException {
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
