/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.tensor.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes benchmark results: one JSON document per benchmark whose {@code environment} block records what the
 * numbers depend on (time, CPU, cores, memory, Java, load average before and after the run, git commit) and
 * the exact command, so that a result file can be checked against the machine that made it.
 */
public final class BenchResults {
    /** The JSON mapper used for results (indented output). */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchResults() {}

    /**
     * Starts a result document.
     *
     * @param benchmark the benchmark's name, e.g. {@code matmul}
     * @param command the command line that produced it
     * @return the document, with {@code benchmark}, {@code command} and {@code environment} filled in
     */
    public static ObjectNode start(String benchmark, String command) {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", benchmark);
        root.put("command", command);
        ObjectNode env = root.putObject("environment");
        env.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("cpu", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memory_bytes", memTotal());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("load_average_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        String commit = gitCommit();
        if (commit != null) {
            env.put("git_commit", commit);
        }
        return root;
    }

    /**
     * Records the end time and load average and writes the document atomically.
     *
     * @param root the document from {@link #start}
     * @param file the JSON file
     */
    public static void finish(ObjectNode root, Path file) {
        ObjectNode env = (ObjectNode) root.get("environment");
        env.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("load_average_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        write(root, file);
    }

    /**
     * Writes a JSON value atomically.
     *
     * @param value the value
     * @param file the file
     */
    public static void write(Object value, Path file) {
        try {
            AtomicFile.write(file, out -> out.write(JSON.writeValueAsBytes(value)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Adds a {@link Stats} as an object with median, p25, p75, min, max and n.
     *
     * @param parent the object to add to
     * @param field the field name
     * @param s the statistics
     * @return the new object
     */
    public static ObjectNode putStats(ObjectNode parent, String field, Stats s) {
        ObjectNode o = parent.putObject(field);
        o.put("median", s.median());
        o.put("p25", s.p25());
        o.put("p75", s.p75());
        o.put("min", s.min());
        o.put("max", s.max());
        o.put("n", s.n());
        return o;
    }

    /**
     * Adds raw samples as an array.
     *
     * @param parent the object to add to
     * @param field the field name
     * @param values the samples
     */
    public static void putSamples(ObjectNode parent, String field, List<Double> values) {
        ArrayNode a = parent.putArray(field);
        values.forEach(a::add);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]+")) {
                return out;
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
