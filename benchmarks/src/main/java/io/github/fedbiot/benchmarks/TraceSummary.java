/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises a PyTorch profiler trace (Chrome trace events, as written by DJL's
 * {@code JniUtils.stopProfile}) into self time per operator: an event's self time is its duration minus the
 * durations of the events nested directly inside it on the same thread, so that {@code aten::linear} is not
 * counted again inside {@code aten::addmm}.
 */
public final class TraceSummary {
    private TraceSummary() {}

    private record Event(String name, long tid, double ts, double dur) {}

    /**
     * Reads a trace and returns the operators with the largest self time.
     *
     * @param trace the trace file
     * @param top how many operators to list
     * @param wallSeconds the wall time of the profiled region (0 if unknown)
     * @return {@code {ops_self_seconds, wall_seconds, top: [{name, self_seconds, calls}]}}
     * @throws IOException if the file cannot be read
     */
    public static ObjectNode summarise(Path trace, int top, double wallSeconds) throws IOException {
        JsonNode root = BenchResults.JSON.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.get("traceEvents");
        List<Event> list = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.has("dur")) {
                continue;
            }
            list.add(new Event(e.get("name").asText(), e.path("tid").asLong(), e.get("ts").asDouble(),
                    e.get("dur").asDouble()));
        }
        list.sort(Comparator.comparingLong(Event::tid).thenComparingDouble(Event::ts)
                .thenComparing(Comparator.comparingDouble(Event::dur).reversed()));
        Map<String, double[]> self = new HashMap<>();
        Deque<double[]> stack = new ArrayDeque<>(); // {end, childDur}
        Deque<Event> open = new ArrayDeque<>();
        long tid = Long.MIN_VALUE;
        double topLevel = 0;
        for (Event e : list) {
            if (e.tid() != tid) {
                flush(stack, open, self, Double.MAX_VALUE);
                tid = e.tid();
            }
            flush(stack, open, self, e.ts());
            if (!stack.isEmpty()) {
                stack.peek()[1] += e.dur();
            } else {
                topLevel += e.dur();
            }
            stack.push(new double[] {e.ts() + e.dur(), 0});
            open.push(e);
        }
        flush(stack, open, self, Double.MAX_VALUE);
        double total = self.values().stream().mapToDouble(v -> v[0]).sum();
        ObjectNode out = BenchResults.JSON.createObjectNode();
        out.put("ops_self_seconds", total / 1e6);
        out.put("top_level_ops_seconds", topLevel / 1e6);
        if (wallSeconds > 0) {
            out.put("wall_seconds", wallSeconds);
            out.put("outside_ops_seconds", Math.max(0, wallSeconds - topLevel / 1e6));
        }
        ArrayNode arr = out.putArray("top");
        self.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(en -> {
                    ObjectNode o = arr.addObject();
                    o.put("name", en.getKey());
                    o.put("self_seconds", en.getValue()[0] / 1e6);
                    o.put("calls", (long) en.getValue()[1]);
                });
        return out;
    }

    private static void flush(Deque<double[]> stack, Deque<Event> open, Map<String, double[]> self, double now) {
        while (!stack.isEmpty() && stack.peek()[0] <= now) {
            double[] s = stack.pop();
            Event e = open.pop();
            double[] acc = self.computeIfAbsent(e.name(), k -> new double[2]);
            acc[0] += Math.max(0, e.dur() - s[1]);
            acc[1] += 1;
        }
    }
}
