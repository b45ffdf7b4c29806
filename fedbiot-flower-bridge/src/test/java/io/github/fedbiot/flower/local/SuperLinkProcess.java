/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code flower-superlink} started from a pinned venv on free loopback ports, plus the {@code flwr} CLI
 * pointed at it. {@link #close()} stops the SuperLink and every process it spawned (SuperExec, ServerApp).
 */
public final class SuperLinkProcess implements AutoCloseable {
    private final Path bin;
    private final Path work;
    private final int controlPort;
    private final int fleetPort;
    private final boolean grpcFleet;
    private final Path tls;
    private final Process process;
    private final Path log;

    private SuperLinkProcess(Path bin, Path work, int controlPort, int fleetPort, boolean grpcFleet, Path tls,
            Process p, Path log) {
        this.tls = tls;
        this.bin = bin;
        this.work = work;
        this.controlPort = controlPort;
        this.fleetPort = fleetPort;
        this.grpcFleet = grpcFleet;
        this.process = p;
        this.log = log;
    }

    /**
     * Starts a SuperLink. With {@code grpcFleet} the Fleet API is served over gRPC on its own port (flwr 1.39);
     * otherwise Fleet shares the HTTP port with Control and Runtime (flwr 1.40+). With {@code tls}, a CA and a
     * server certificate for 127.0.0.1 are made by {@code python/flower/tools/make_certs.py} and the SuperLink
     * serves HTTPS; otherwise it runs {@code --insecure}.
     *
     * @param bin the venv's bin directory
     * @param work the working directory (created)
     * @param grpcFleet whether the Fleet API is gRPC
     * @param tls whether to serve TLS
     * @return the running SuperLink, listening
     * @throws Exception if it cannot be started or does not listen in time (its log is in the message)
     */
    public static SuperLinkProcess start(Path bin, Path work, boolean grpcFleet, boolean tls) throws Exception {
        return start(bin, work, grpcFleet, tls, 0);
    }

    /**
     * As {@link #start(Path, Path, boolean, boolean)} on a given HTTP port.
     *
     * @param bin the venv's bin directory
     * @param work the working directory
     * @param grpcFleet whether the Fleet API is gRPC
     * @param tls whether to serve TLS
     * @param httpPort the HTTP port (0: a free one; not with gRPC)
     * @return the running SuperLink
     * @throws Exception if it cannot be started
     */
    public static SuperLinkProcess start(Path bin, Path work, boolean grpcFleet, boolean tls, int httpPort) throws Exception {
        return start(bin, work, grpcFleet, tls, httpPort, List.of());
    }

    /**
     * As {@link #start(Path, Path, boolean, boolean, int)} with more {@code flower-superlink} options.
     *
     * @param bin the venv's bin directory
     * @param work the working directory
     * @param grpcFleet whether the Fleet API is gRPC
     * @param tls whether to serve TLS
     * @param httpPort the HTTP port (0: a free one)
     * @param moreArgs more options
     * @return the running SuperLink
     * @throws Exception if it cannot be started
     */
    public static SuperLinkProcess start(Path bin, Path work, boolean grpcFleet, boolean tls, int httpPort,
            List<String> moreArgs) throws Exception {
        Files.createDirectories(work);
        List<String> extraArgs = new ArrayList<>(moreArgs);
        Path tlsDir = null;
        if (tls) {
            tlsDir = work.resolve("tls");
            ProcessBuilder pb = new ProcessBuilder(bin.resolve("python").toString(),
                    FlowerEnv.root().resolve("python/flower/tools/make_certs.py").toString(), tlsDir.toString())
                    .redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("make_certs.py failed: " + out);
            }
            extraArgs.addAll(List.of("--ssl-certfile", tlsDir.resolve("server.pem").toString(), "--ssl-keyfile",
                    tlsDir.resolve("server.key").toString(), "--ssl-ca-certfile", tlsDir.resolve("ca.pem").toString()));
        } else {
            extraArgs.add("--insecure");
        }
        Files.createDirectories(work);
        int port = httpPort > 0 ? httpPort : FlowerEnv.freePort();
        int fleet = grpcFleet ? FlowerEnv.freePort() : port;
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("flower-superlink").toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--disable-runtime-dependency-installation"));
        if (grpcFleet) {
            cmd.addAll(List.of("--fleet-api-type", "grpc-rere", "--fleet-api-address", "127.0.0.1:" + fleet));
        }
        cmd.addAll(extraArgs);
        Path log = work.resolve("superlink.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        env(pb.environment(), bin, work);
        Process p = pb.start();
        SuperLinkProcess s = new SuperLinkProcess(bin, work, port, fleet, grpcFleet, tlsDir, p, log);
        try {
            s.awaitPort(port, Duration.ofSeconds(90));
            if (fleet != port) {
                s.awaitPort(fleet, Duration.ofSeconds(60));
            }
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Returns the venv's bin directory. @return the directory */
    public Path bin() {
        return bin;
    }

    /** Returns the working directory (logs, state, {@code FLWR_HOME}). @return the directory */
    public Path work() {
        return work;
    }

    /** Returns the port of the Control API (and of the HTTP Fleet API, flwr 1.40+). @return the port */
    public int controlPort() {
        return controlPort;
    }

    /** Returns the port of the Fleet API. @return the port */
    public int fleetPort() {
        return fleetPort;
    }

    /** Returns the directory with ca.pem, server.pem and server.key when TLS is on, else null. @return it */
    public Path tls() {
        return tls;
    }

    /** Returns the SuperLink's log file. @return the file */
    public Path log() {
        return log;
    }

    /**
     * Sets the environment of a Flower program from the venv: {@code PATH}, {@code FLWR_HOME} under the working
     * directory, no telemetry or update check, unbuffered output.
     *
     * @param env the environment to change
     * @param bin the venv's bin directory
     * @param work the working directory
     */
    public static void env(Map<String, String> env, Path bin, Path work) {
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("FLWR_HOME", work.resolve("flwr-home").toString());
        env.put("FLWR_TELEMETRY_ENABLED", "0");
        env.put("FLWR_DISABLE_UPDATE_CHECK", "1");
        env.put("PYTHONUNBUFFERED", "1");
    }

    private void awaitPort(int port, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("flower-superlink exited with " + process.exitValue() + ":\n" + logText());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("flower-superlink did not listen on " + port + " within " + timeout + ":\n"
                + logText());
    }

    /** Returns the Fleet address a Java SuperNode uses. @return e.g. {@code http://127.0.0.1:9093} */
    public String fleetAddress() {
        return (grpcFleet ? "" : tls != null ? "https://" : "http://") + "127.0.0.1:" + fleetPort;
    }

    /** Returns the SuperLink's log so far. @return the text */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /**
     * Writes the flwr CLI connection config under {@code FLWR_HOME}.
     *
     * @return the connection's name
     * @throws IOException if it cannot be written
     */
    public String writeCliConfig() throws IOException {
        Path home = work.resolve("flwr-home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config.toml"), "[superlink]\ndefault = \"local\"\n\n[superlink.local]\n"
                + "address = \"127.0.0.1:" + controlPort + "\"\n" + (tls == null ? "insecure = true\n"
                        : "root-certificates = \"" + tls.resolve("ca.pem") + "\"\n"));
        return "local";
    }

    /**
     * Runs a flwr CLI command.
     *
     * @param timeout the longest wait
     * @param args its arguments
     * @return its output
     * @throws Exception if it times out or exits non-zero (its output is in the message)
     */
    public String flwr(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve("flwr").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        env(pb.environment(), bin, work);
        pb.environment().put("COLUMNS", "200");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("flwr " + String.join(" ", args) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("flwr " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }

    /** Stops the SuperLink abruptly (SIGKILL on it and its children), as a crash would. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the SuperLink and every process it spawned (SuperExec, ServerApp). */
    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}
