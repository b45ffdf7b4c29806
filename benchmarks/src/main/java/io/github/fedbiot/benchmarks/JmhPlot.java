/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.cli.BenchSubcommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedbiot bench jmh-plot}: draws the JSON that JMH writes ({@code -rf json}) for the benchmarks module as
 * score against the {@code clients} parameter, one line per benchmark and remaining parameter values.
 */
@Command(name = "jmh-plot", mixinStandardHelpOptions = true,
        description = "Plots a JMH JSON result (score vs the 'clients' parameter) as PNG.")
public final class JmhPlot implements BenchSubcommand {
    @Option(names = "--in", required = true, description = "JMH result JSON")
    private Path in;

    @Option(names = "--out", required = true, description = "PNG file")
    private Path out;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        JsonNode root = BenchResults.JSON.readTree(in.toFile());
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        String unit = "";
        for (JsonNode b : root) {
            String name = b.get("benchmark").asText().replaceAll(".*\\.", "");
            JsonNode params = b.path("params");
            double x = params.path("clients").asDouble(1);
            StringBuilder label = new StringBuilder(name);
            params.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("clients")) {
                    label.append(' ').append(e.getKey()).append('=').append(e.getValue().asText());
                }
            });
            JsonNode pm = b.get("primaryMetric");
            unit = pm.get("scoreUnit").asText();
            series.computeIfAbsent(label.toString(), k -> new ArrayList<>()).add(new double[] {x, pm.get("score").asDouble()});
        }
        Charts.lines(out, "JMH: server-side LoRA arithmetic vs clients", "clients", unit, series, true);
        return 0;
    }
}
