/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.cli.BenchSubcommand;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.PythonProcess;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedbiot bench flower-overhead}: the round overhead of the Java SuperNode against Flower's Python
 * {@code flower-supernode}, both connected to one real {@code flower-superlink} (flwr 1.42.0, HTTP Fleet API) in
 * one run on one machine.
 *
 * <p>The ServerApp {@code python/flower/echo_app} sends each node in turn (never both at once; the order
 * alternates between rounds) a {@code query} message carrying one float32 ArrayRecord of each size; each node's
 * ClientApp sends it back unchanged (the Java node's is {@link FlowerOverheadNode}, in its own JVM; the Python
 * node's runs, as Flower does it, in a {@code flwr-clientapp} process that Flower's SuperExec starts). Each node
 * reaches the SuperLink through its own {@link FleetRecordingProxy}, which times every Fleet RPC at the wire:
 * the overhead of a round is the time from the delivery of the instruction's last object to the node until the
 * SuperLink has stored the reply's last object. The Java node's heap is capped (by default at twice the largest
 * payload plus 96 MiB) and its peak recorded.
 */
@Command(name = "flower-overhead", mixinStandardHelpOptions = true,
        description = {"Round overhead (message pulled to reply pushed, no training) of the Java SuperNode vs "
                + "Flower's Python SuperNode on one real flwr SuperLink, and the Java node's peak heap.",
            "Needs the pinned Flower venv (tools/python-venv.sh, made on first use)."})
public final class FlowerOverheadBench implements BenchSubcommand {
    private static final Logger logger = LoggerFactory.getLogger(FlowerOverheadBench.class);
    /** The target of issue 5: the Java node's overhead at most this fraction of the Python node's. */
    static final double TARGET_RATIO = 0.5;
    /** The target of issue 5: the Java node's heap never holds more than this many copies of a payload. */
    static final double TARGET_COPIES = 2.0;
    private static final long MIB = 1 << 20;

    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--sizes", split = ",", defaultValue = "1,100",
            description = "Payload sizes in MiB (default: ${DEFAULT-VALUE}).")
    private List<Double> sizes;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up rounds, not measured (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--node-heap-mib", defaultValue = "0",
            description = "-Xmx of the Java node's JVM in MiB (default 0: 2 x the largest payload + 96).")
    private int nodeHeapMib;

    @Option(names = "--timeout", defaultValue = "600",
            description = "Seconds to wait for one reply (default: ${DEFAULT-VALUE}).")
    private int timeout;

    @Option(names = "--name", defaultValue = "flower-overhead",
            description = "Result file name without extension (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--plot-only", description = "Only redraw the PNG from the JSON of an earlier run.")
    private boolean plotOnly;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (plotOnly) {
            plot((ObjectNode) BenchResults.JSON.readTree(options.out().resolve(name + ".json").toFile()));
            return 0;
        }
        if (sizes.isEmpty() || sizes.stream().anyMatch(s -> !(s > 0)) || rounds < 1 || warmup < 0 || timeout < 1) {
            throw new IllegalArgumentException("--sizes must be > 0, --rounds >= 1, --warmup >= 0, --timeout >= 1");
        }
        double largest = sizes.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        int heapMib = nodeHeapMib > 0 ? nodeHeapMib : (int) Math.ceil(2 * largest) + 96;
        String sizeList = sizes.stream().map(FlowerOverheadBench::fmt).collect(Collectors.joining(","));
        String cmd = "fedbiot bench flower-overhead --sizes " + sizeList + " --rounds " + rounds + " --warmup " + warmup
                + (nodeHeapMib > 0 ? " --node-heap-mib " + nodeHeapMib : "") + " --seed " + options.seed()
                + " --name " + name;
        ObjectNode root = BenchResults.start("flower-overhead", cmd);
        Path work = options.out().toAbsolutePath().resolve(name + "-runs");
        deleteTree(work);
        Files.createDirectories(work);
        Path bin = FlowerEnv.venvBin(FlowerEnv.VENV, FlowerEnv.REQUIREMENTS);
        root.put("flwr_version", flwrVersion(bin));
        root.put("method", "Each node has its own recording HTTP proxy to the SuperLink. Overhead = time from the "
                + "proxy's delivery of the last of PullMessages/PullObject for the instruction to the SuperLink's "
                + "answer to the last of PushMessages/PushObject of the reply. outside_rpc = the part of that "
                + "window with none of the node's Fleet RPCs (heartbeats aside) in flight. One message at a time, "
                + "node order alternating per round; fresh random float32 payload per message.");
        ArrayNode sizesNode = root.putArray("sizes_mib");
        sizes.forEach(sizesNode::add);
        root.put("rounds", rounds);
        root.put("warmup_rounds", warmup);

        Path serverResult = work.resolve("echo-result.json");
        Path ready = work.resolve("java-node-ready.json");
        Path nodeResult = work.resolve("java-node.json");
        Path nodeLog = work.resolve("java-node.log");
        JsonNode echo;
        long origin = System.nanoTime();
        Map<String, FleetRecordingProxy.Window> windows = new LinkedHashMap<>();
        String javaNodeId;
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("superlink"), false, false);
                FleetRecordingProxy javaProxy = new FleetRecordingProxy(link.fleetPort());
                FleetRecordingProxy pyProxy = new FleetRecordingProxy(link.fleetPort())) {
            Process javaNode = ChildJvm.start(heapMib + "m", List.of("-XX:+ExitOnOutOfMemoryError"), nodeLog,
                    List.of("bench", "flower-overhead-node", "--superlink", "http://127.0.0.1:" + javaProxy.port(),
                            "--ready", ready.toString(), "--result", nodeResult.toString()));
            try (PythonProcess py = PythonProcess.start(bin, work, "flower-supernode", List.of("--insecure",
                    "--superlink", "127.0.0.1:" + pyProxy.port(), "--port", String.valueOf(FlowerEnv.freePort())))) {
                await(ready, Duration.ofMinutes(2), javaNode, nodeLog, py, "the Java node to connect");
                javaNodeId = BenchResults.JSON.readTree(ready.toFile()).get("node_id").asText();
                logger.info("flower-overhead: Java node {} connected; starting the echo run", javaNodeId);
                link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/echo_app").toString(),
                        link.writeCliConfig(), "--run-config", "result-file=\"" + serverResult + "\" sizes-mib=\""
                                + sizeList + "\" rounds=" + rounds + " warmup-rounds=" + warmup + " seed="
                                + options.seed() + " timeout=" + timeout);
                long messages = (long) (warmup + rounds) * sizes.size() * 2;
                await(serverResult, Duration.ofSeconds(messages * timeout + 300), javaNode, nodeLog, py, "the echo run");
                echo = BenchResults.JSON.readTree(serverResult.toFile());
                if (echo.has("error")) {
                    throw new FedbiotException("the echo ServerApp failed:\n" + echo.get("error").asText());
                }
            } finally {
                stopNode(javaNode);
            }
            javaProxy.writeLog(work.resolve("java-node-rpcs.tsv"), origin);
            pyProxy.writeLog(work.resolve("python-node-rpcs.tsv"), origin);
            for (JsonNode m : echo.get("messages")) {
                String id = m.get("message_id").asText();
                FleetRecordingProxy proxy = m.get("node_id").asText().equals(javaNodeId) ? javaProxy : pyProxy;
                windows.put(id, proxy.windowOf(id).orElseThrow(() -> new FedbiotException(
                        "the proxy did not see message " + id + " pulled and answered")));
            }
        }
        JsonNode heap = BenchResults.JSON.readTree(nodeResult.toFile());
        summarise(root, echo, windows, javaNodeId, heap, heapMib, largest);
        Path json = options.out().resolve(name + ".json");
        BenchResults.finish(root, json);
        plot(root);
        System.out.println("flower overhead -> " + json);
        return 0;
    }

    private void summarise(ObjectNode root, JsonNode echo, Map<String, FleetRecordingProxy.Window> windows,
            String javaNodeId, JsonNode heap, int heapMib, double largest) {
        ArrayNode rows = root.putArray("messages");
        Map<Double, Map<String, List<double[]>>> bySize = new LinkedHashMap<>();
        boolean allOk = true;
        for (JsonNode m : echo.get("messages")) {
            FleetRecordingProxy.Window w = windows.get(m.get("message_id").asText());
            String kind = m.get("node_id").asText().equals(javaNodeId) ? "java" : "python";
            ObjectNode row = rows.addObject();
            row.put("node", kind);
            row.put("round", m.get("round").asInt());
            row.put("warmup", m.get("warmup").asBoolean());
            row.put("size_mib", m.get("size_mib").asDouble());
            row.put("overhead_seconds", w.overheadSeconds());
            row.put("outside_rpc_seconds", w.outsideRpcSeconds());
            row.put("bytes_pulled", w.bytesPulled());
            row.put("bytes_pushed", w.bytesPushed());
            row.put("server_round_trip_seconds", m.get("server_round_trip_seconds").asDouble());
            row.put("echo_ok", m.get("echo_ok").asBoolean());
            allOk &= m.get("echo_ok").asBoolean();
            if (!m.get("warmup").asBoolean()) {
                bySize.computeIfAbsent(m.get("size_mib").asDouble(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(kind, k -> new ArrayList<>())
                        .add(new double[] {w.overheadSeconds(), w.outsideRpcSeconds(), w.bytesPushed(),
                            m.get("server_round_trip_seconds").asDouble()});
            }
        }
        root.put("all_echoes_matched", allOk);
        ArrayNode results = root.putArray("results");
        boolean ratioMet = true;
        for (Map.Entry<Double, Map<String, List<double[]>>> e : bySize.entrySet()) {
            ObjectNode r = results.addObject();
            r.put("size_mib", e.getKey());
            r.put("payload_bytes", (long) (e.getKey() * MIB) / 4 * 4);
            for (String kind : List.of("java", "python")) {
                List<double[]> xs = e.getValue().getOrDefault(kind, List.of());
                ObjectNode k = r.putObject(kind);
                List<Double> overhead = xs.stream().map(x -> x[0]).toList();
                BenchResults.putStats(k, "overhead_seconds", Stats.of(overhead));
                BenchResults.putSamples(k, "overhead_seconds_samples", overhead);
                BenchResults.putStats(k, "outside_rpc_seconds", Stats.of(xs.stream().map(x -> x[1]).toList()));
                BenchResults.putStats(k, "server_round_trip_seconds", Stats.of(xs.stream().map(x -> x[3]).toList()));
                k.put("min_bytes_pushed", xs.stream().mapToDouble(x -> x[2]).min().orElse(0));
            }
            double ratio = r.get("java").get("overhead_seconds").get("median").asDouble()
                    / r.get("python").get("overhead_seconds").get("median").asDouble();
            r.put("ratio_java_over_python", ratio);
            r.put("ratio_outside_rpc_java_over_python", r.get("java").get("outside_rpc_seconds").get("median")
                    .asDouble() / r.get("python").get("outside_rpc_seconds").get("median").asDouble());
            ratioMet &= ratio <= TARGET_RATIO;
        }
        ObjectNode j = root.putObject("java_node_heap");
        long idle = heap.get("idle_heap_bytes").asLong();
        long peak = heap.get("peak_heap_bytes").asLong();
        long xmx = heap.get("max_heap_bytes").asLong();
        long payload = (long) (largest * MIB);
        j.put("xmx_mib", heapMib);
        j.setAll((ObjectNode) heap);
        j.put("largest_payload_bytes", payload);
        // The heap pools' peaks include garbage not yet collected: an upper bound on what was live.
        j.put("copies_peak_above_idle", (double) (peak - idle) / payload);
        // Live data never exceeded -Xmx (the node would have stopped with an OutOfMemoryError): a hard bound.
        j.put("copies_cap_above_idle", (double) (xmx - idle) / payload);
        j.put("passed_under_cap", allOk && heap.get("error_replies_sent").asLong() == 0);
        ObjectNode t = root.putObject("targets");
        t.put("ratio_max", TARGET_RATIO);
        t.put("ratio_met", ratioMet);
        t.put("heap_copies_max", TARGET_COPIES);
        t.put("heap_copies_met", (double) (peak - idle) / payload <= TARGET_COPIES);
    }

    private void plot(ObjectNode root) {
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (JsonNode r : root.get("results")) {
            String cat = fmt(r.get("size_mib").asDouble()) + " MiB (Java/Python "
                    + String.format(Locale.ROOT, "%.3f", r.get("ratio_java_over_python").asDouble()) + ")";
            for (String kind : List.of("java", "python")) {
                bars.computeIfAbsent(kind.equals("java") ? "Java SuperNode" : "Python flower-supernode",
                        k -> new LinkedHashMap<>())
                        .put(cat, r.get(kind).get("overhead_seconds").get("median").asDouble() * 1000);
            }
        }
        Charts.bars(options.out().resolve(name + ".png"), "Round overhead, message pulled to reply pushed (flwr "
                + root.get("flwr_version").asText() + ", median of " + root.get("rounds").asInt() + " rounds)", "payload",
                "overhead (ms, log scale)", bars, true);
    }

    private static void await(Path file, Duration timeout, Process javaNode, Path log, PythonProcess py,
            String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (!javaNode.isAlive()) {
                throw new FedbiotException("the Java node exited (" + javaNode.exitValue() + ") while waiting for "
                        + what + ": " + lastLine(log));
            }
            if (!py.isAlive()) {
                throw new FedbiotException("flower-supernode exited while waiting for " + what + ":\n" + py.logText());
            }
            if (System.nanoTime() > end) {
                throw new FedbiotException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Returns the last line of a log (e.g. the JVM's "Terminating due to java.lang.OutOfMemoryError"). */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(empty log " + log + ")" : lines.get(lines.size() - 1) + " (log: " + log + ")";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Ends the node's standard input (it then writes its heap figures and stops), and waits for it. */
    private static void stopNode(Process node) throws InterruptedException {
        try {
            node.getOutputStream().close();
        } catch (IOException e) {
            // it has gone already
        }
        if (!node.waitFor(60, TimeUnit.SECONDS)) {
            node.destroyForcibly();
        }
    }

    private static String flwrVersion(Path bin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(bin.resolve("python").toString(), "-c",
                "import importlib.metadata as m; print(m.version('flwr'))").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? v : "unknown";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String fmt(double mib) {
        return mib == Math.rint(mib) ? Long.toString((long) mib) : Double.toString(mib);
    }
}
