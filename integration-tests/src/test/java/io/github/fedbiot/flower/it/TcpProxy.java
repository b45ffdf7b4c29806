/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy whose link can be cut: while down it drops every open connection and closes each new
 * one at once (counting them), as a network outage would. It can also slow the link (each chunk held for a
 * seeded random time) and reset every open connection with a TCP RST, as a flaky NAT or load balancer does.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusedWhileDown = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger delayedChunks = new AtomicInteger();
    private final Random random;
    private volatile boolean down;
    private volatile int minDelayMillis;
    private volatile int maxDelayMillis;

    TcpProxy(int targetPort) throws IOException {
        this(targetPort, 0);
    }

    /** A proxy whose chunk delays are drawn from {@code seed}, so that a failing schedule can be replayed. */
    TcpProxy(int targetPort, long seed) throws IOException {
        this.targetPort = targetPort;
        this.random = new Random(seed);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int refusedWhileDown() {
        return refusedWhileDown.get();
    }

    /** Returns how many open connections {@link #resetAll()} has reset. @return the count */
    int resets() {
        return resets.get();
    }

    /** Returns how many chunks were held back by a delay. @return the count */
    int delayedChunks() {
        return delayedChunks.get();
    }

    /** Holds each chunk, both ways, for a random time in {@code [min, max]} ms; {@code 0, 0} ends the delay. */
    void setDelay(int minMillis, int maxMillis) {
        minDelayMillis = minMillis;
        maxDelayMillis = maxMillis;
    }

    /**
     * Resets every open connection: with SO_LINGER 0 the close sends a TCP RST instead of a FIN, so each peer
     * sees "connection reset" mid-request rather than an orderly end.
     */
    void resetAll() {
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0);
                resets.incrementAndGet();
            } catch (IOException e) {
                // already closed
            }
            closeQuietly(s);
        }
        open.clear();
    }

    void setDown(boolean value) {
        down = value;
        if (value) {
            for (Socket s : open) {
                closeQuietly(s);
            }
            open.clear();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    refusedWhileDown.incrementAndGet();
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // accept failed (closed) or upstream refused: drop this connection
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    hold();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void hold() throws IOException {
        int max = maxDelayMillis;
        if (max <= 0) {
            return;
        }
        int min = minDelayMillis;
        int millis;
        synchronized (random) {
            millis = min + random.nextInt(max - min + 1);
        }
        delayedChunks.incrementAndGet();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        setDown(true);
    }
}
