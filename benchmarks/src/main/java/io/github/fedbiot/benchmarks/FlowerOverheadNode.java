/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.cli.BenchSubcommand;
import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.supernode.SuperNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Java SuperNode of {@code fedbiot bench flower-overhead}, in its own JVM (hidden subcommand
 * {@code flower-overhead-node}): a {@link SuperNode} whose {@link ClientApp} answers {@code query} messages with
 * the instruction's {@code arrays} ArrayRecord, unchanged. Once the node is connected and idle it collects
 * garbage, records the heap in use and resets the heap pools' peaks, then writes the {@code --ready} file; when
 * its standard input ends (the benchmark closes it, or exits) it writes the heap's peaks to {@code --result}
 * and stops.
 */
@Command(name = "flower-overhead-node", hidden = true, description = "The Java SuperNode of bench flower-overhead.")
public final class FlowerOverheadNode implements BenchSubcommand {
    @Option(names = "--superlink", required = true, description = "Fleet address, e.g. http://127.0.0.1:9093")
    private String superlink;

    @Option(names = "--ready", required = true, description = "Written once the node is connected and idle")
    private Path ready;

    @Option(names = "--result", required = true)
    private Path result;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        ClientApp app = ClientApp.builder()
                .optQuery((msg, ctx) -> RecordDict.builder().add("arrays", msg.content().arrayRecord("arrays")).build())
                .build();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        try (SuperNode node = SuperNode.builder().setSuperlink(superlink).optInsecure(true).setClientApp(app)
                .optPollInterval(Duration.ofMillis(200)).build().start()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!node.isConnected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the node did not connect to " + superlink + " within 2 minutes");
                }
                Thread.sleep(50);
            }
            Thread.sleep(500);
            System.gc();
            System.gc();
            long idle = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            ObjectNode r = BenchResults.JSON.createObjectNode();
            r.put("node_id", Long.toUnsignedString(node.nodeId()));
            r.put("idle_heap_bytes", idle);
            BenchResults.write(r, ready);
            // Runs until the benchmark closes our standard input (or exits).
            byte[] buf = new byte[256];
            while (System.in.read(buf) >= 0) {
                // ignore input
            }
            r.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
            r.put("peak_heap_bytes", heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum());
            ObjectNode pools = r.putObject("peak_heap_bytes_by_pool");
            heap.forEach(p -> pools.put(p.getName(), p.getPeakUsage().getUsed()));
            r.put("replies_sent", node.repliesSent());
            r.put("error_replies_sent", node.errorRepliesSent());
            BenchResults.write(r, result);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read standard input: " + e.getMessage(), e);
        }
        return 0;
    }
}
