/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.fedbiot.flower.proto.Message;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.proto.PullMessagesResponse;
import io.github.fedbiot.flower.proto.PullObjectRequest;
import io.github.fedbiot.flower.proto.PullObjectResponse;
import io.github.fedbiot.flower.proto.PushMessagesRequest;
import io.github.fedbiot.flower.proto.PushMessagesResponse;
import io.github.fedbiot.flower.proto.PushObjectRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A recording HTTP proxy between one SuperNode and the SuperLink's HTTP Fleet API (flwr 1.40+). It forwards
 * every request unchanged (body and headers; the node's signature covers only a timestamp) and records, per
 * RPC, when the node's request reached the proxy and when the proxy had written the SuperLink's response back to
 * the node, together with the object ids the RPC carried. From that record, {@link #windowOf} finds, for one
 * instruction, the moment its last object was delivered to the node and the moment the node's reply and all of
 * its objects were stored by the SuperLink: the node's round overhead, measured at the wire in the same way for
 * any SuperNode implementation.
 */
final class FleetRecordingProxy implements AutoCloseable {
    private static final String PREFIX = "/v1/fleet/";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host",
            "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "date", "server");

    /**
     * One forwarded RPC.
     *
     * @param rpc the route after {@code /v1/fleet/}, e.g. {@code pull-object}
     * @param start when the request's headers reached the proxy ({@link System#nanoTime()})
     * @param end when the response had been written back to the node
     * @param requestBytes the request body size
     * @param responseBytes the response body size
     * @param status the HTTP status
     * @param info what the RPC carried (see {@link Info})
     */
    record Rpc(String rpc, long start, long end, int requestBytes, int responseBytes, int status, Info info) {}

    /**
     * The object ids an RPC carried.
     *
     * @param messages PullMessages: message id to the ids of its object tree
     * @param objectId PullObject (when the object was delivered) or PushObject: the object
     * @param replyTo PushMessages: the id of the instruction the reply answers
     * @param toPush PushMessages: the objects the SuperLink asked for
     */
    record Info(Map<String, Set<String>> messages, String objectId, String replyTo, Set<String> toPush) {
        static final Info NONE = new Info(Map.of(), null, null, Set.of());
    }

    /**
     * One instruction as the node saw it at the wire.
     *
     * @param pulled when the message and its last object had been delivered to the node (nanoTime)
     * @param pushed when the reply and its last object had been stored by the SuperLink (nanoTime)
     * @param inRpcNanos the part of [pulled, pushed] during which the node waited on a Fleet RPC (heartbeats
     *     excluded): the rest is the node's own work
     * @param bytesPulled the object bytes delivered to the node
     * @param bytesPushed the object bytes the node pushed
     */
    record Window(long pulled, long pushed, long inRpcNanos, long bytesPulled, long bytesPushed) {
        double overheadSeconds() {
            return (pushed - pulled) / 1e9;
        }

        double outsideRpcSeconds() {
            return (pushed - pulled - inRpcNanos) / 1e9;
        }
    }

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on by default: a response's body then waits for the ACK
        // of its headers, which the node delays by up to 40 ms. The SuperLink (uvicorn on asyncio) sets
        // TCP_NODELAY; so must a proxy that is to add no delay of its own.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final HttpClient client;
    private final URI upstream;
    private final List<Rpc> rpcs = new ArrayList<>();

    FleetRecordingProxy(int upstreamPort) throws IOException {
        this.upstream = URI.create("http://127.0.0.1:" + upstreamPort);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fleet-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Returns the proxy's port on the loopback interface. @return the port */
    int port() {
        return server.getAddress().getPort();
    }

    /** Returns a snapshot of the RPCs forwarded so far. @return the RPCs, in completion order */
    List<Rpc> rpcs() {
        synchronized (rpcs) {
            return List.copyOf(rpcs);
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getRawPath();
            HttpRequest.Builder req = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI()))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> req.header(name, v));
                }
            });
            HttpResponse<byte[]> res;
            try {
                res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                ex.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            res.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = res.body();
            ex.sendResponseHeaders(res.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
            long end = System.nanoTime();
            // Parsed after the node has its answer, so that recording does not delay it.
            String rpc = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
            Info info = res.statusCode() == 200 ? info(rpc, body, out) : Info.NONE;
            synchronized (rpcs) {
                rpcs.add(new Rpc(rpc, start, end, body.length, out.length, res.statusCode(), info));
            }
        }
    }

    private static Info info(String rpc, byte[] request, byte[] response) {
        try {
            switch (rpc) {
                case "pull-messages" -> {
                    PullMessagesResponse r = PullMessagesResponse.parseFrom(response);
                    Map<String, Set<String>> m = new LinkedHashMap<>();
                    for (ObjectTree t : r.getMessageObjectTreesList()) {
                        Set<String> ids = new HashSet<>();
                        collect(t, ids);
                        m.put(t.getObjectId(), ids);
                    }
                    return new Info(m, null, null, Set.of());
                }
                case "pull-object" -> {
                    PullObjectResponse r = PullObjectResponse.parseFrom(response);
                    String id = PullObjectRequest.parseFrom(request).getObjectId();
                    return r.getObjectFound() && r.getObjectAvailable() ? new Info(Map.of(), id, null, Set.of())
                            : Info.NONE;
                }
                case "push-messages" -> {
                    PushMessagesRequest q = PushMessagesRequest.parseFrom(request);
                    PushMessagesResponse r = PushMessagesResponse.parseFrom(response);
                    if (q.getMessagesListCount() != 1) {
                        return Info.NONE;
                    }
                    Message m = q.getMessagesList(0);
                    return new Info(Map.of(), null, m.getMetadata().getReplyToMessageId(),
                            new HashSet<>(r.getObjectsToPushList()));
                }
                case "push-object" -> {
                    return new Info(Map.of(), PushObjectRequest.parseFrom(request).getObjectId(), null, Set.of());
                }
                default -> {
                    return Info.NONE;
                }
            }
        } catch (InvalidProtocolBufferException e) {
            return Info.NONE;
        }
    }

    /**
     * Returns the ids of the instructions the node pulled, in the order it first pulled them.
     *
     * @return the message ids
     */
    List<String> instructionIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Rpc r : rpcs()) {
            if (r.rpc().equals("pull-messages")) {
                ids.addAll(r.info().messages().keySet());
            }
        }
        return List.copyOf(ids);
    }

    private static void collect(ObjectTree t, Set<String> out) {
        out.add(t.getObjectId());
        t.getChildrenList().forEach(c -> collect(c, out));
    }

    /**
     * Finds an instruction's window: from the delivery of the last of PullMessages and the PullObjects of its
     * tree, to the storing of the last of the PushMessages that answers it and the PushObjects the SuperLink asked
     * for.
     *
     * @param messageId the instruction's id
     * @return the window, if the node pulled the instruction and pushed a reply
     */
    Optional<Window> windowOf(String messageId) {
        List<Rpc> all = rpcs();
        Set<String> tree = null;
        long pulled = -1;
        for (Rpc r : all) {
            if (r.rpc().equals("pull-messages") && r.info().messages().containsKey(messageId)) {
                tree = r.info().messages().get(messageId);
                pulled = r.end();
            }
        }
        if (tree == null) {
            return Optional.empty();
        }
        long bytesPulled = 0;
        for (Rpc r : all) {
            if (r.rpc().equals("pull-object") && tree.contains(r.info().objectId())) {
                pulled = Math.max(pulled, r.end());
                bytesPulled += r.responseBytes();
            }
        }
        Rpc push = null;
        for (Rpc r : all) {
            if (r.rpc().equals("push-messages") && messageId.equals(r.info().replyTo())) {
                push = r;
            }
        }
        if (push == null) {
            return Optional.empty();
        }
        long pushed = push.end();
        long bytesPushed = 0;
        Set<String> toPush = push.info().toPush();
        for (Rpc r : all) {
            if (r.rpc().equals("push-object") && r.start() >= push.start() && toPush.contains(r.info().objectId())) {
                pushed = Math.max(pushed, r.end());
                bytesPushed += r.requestBytes();
            }
        }
        return Optional.of(new Window(pulled, pushed, inRpc(all, pulled, pushed), bytesPulled, bytesPushed));
    }

    /** Returns how long, within [from, to], at least one of the node's RPCs (not heartbeats) was in flight. */
    private static long inRpc(List<Rpc> all, long from, long to) {
        List<long[]> spans = new ArrayList<>();
        for (Rpc r : all) {
            if (!r.rpc().equals("send-node-heartbeat") && r.end() > from && r.start() < to) {
                spans.add(new long[] {Math.max(r.start(), from), Math.min(r.end(), to)});
            }
        }
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        long total = 0;
        long curStart = -1;
        long curEnd = -1;
        for (long[] s : spans) {
            if (s[0] > curEnd) {
                total += curEnd - curStart;
                curStart = s[0];
                curEnd = s[1];
            } else {
                curEnd = Math.max(curEnd, s[1]);
            }
        }
        return total + (curEnd - curStart);
    }

    /**
     * Writes the RPCs as tab-separated lines: rpc, start and end in ms since {@code origin}, request and response
     * bytes, status and the object or message id it carried.
     *
     * @param file the file
     * @param origin the time zero ({@link System#nanoTime()})
     * @throws IOException if it cannot be written
     */
    void writeLog(Path file, long origin) throws IOException {
        StringBuilder b = new StringBuilder("rpc\tstart_ms\tend_ms\trequest_bytes\tresponse_bytes\tstatus\tid\n");
        for (Rpc r : rpcs()) {
            Info i = r.info();
            String id = i.objectId() != null ? i.objectId() : i.replyTo() != null ? "reply to " + i.replyTo()
                    : String.join(",", i.messages().keySet());
            b.append(String.format(Locale.ROOT, "%s\t%.3f\t%.3f\t%d\t%d\t%d\t%s%n", r.rpc(), (r.start() - origin) / 1e6,
                    (r.end() - origin) / 1e6, r.requestBytes(), r.responseBytes(), r.status(), id));
        }
        Files.writeString(file, b);
    }

    /** Stops the proxy. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
