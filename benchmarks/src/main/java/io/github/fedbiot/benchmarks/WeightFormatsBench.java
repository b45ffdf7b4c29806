/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.cli.BenchSubcommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cost of compressed frozen weights at 135M (issue #14): a FedBiOT client (K 2, beta 0.5) of the SmolLM2-135M
 * shape trains with its weights held in each {@code model.weight_format} (seeded random values, quantised on
 * load), one JVM each; the JSON gives training tokens/s, the weights' resident bytes and peak RSS of each format,
 * and their ratios to float32, next to the targets (Q8_0 >= 0.85x and Q4 >= 0.75x the float32
 * tokens/s; weights <= 0.30x and <= 0.18x).
 */
@Command(name = "weight-formats", mixinStandardHelpOptions = true,
        description = "Client training tokens/s and resident weight bytes of each weight format vs float32.")
public final class WeightFormatsBench implements BenchSubcommand {
    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--model", defaultValue = "smollm2-135m", description = "Model preset (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--formats", split = ",", defaultValue = "f32,f16,bf16,q8_0,q4_0,q4_1",
            description = "Formats, f32 first (default: ${DEFAULT-VALUE}).")
    private List<String> formats;

    @Option(names = "--batch", defaultValue = "4", description = "Rows per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    private int seq;

    @Option(names = "--steps", defaultValue = "4", description = "Steps per timed round (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--rounds", defaultValue = "2", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--heap", defaultValue = "1g", description = "Child JVM -Xmx (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Option(names = "--name", defaultValue = "weight-formats", description = "Result file name (default: ${DEFAULT-VALUE}).")
    private String name;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        String cmd = "fedbiot bench weight-formats --model " + model + " --formats " + String.join(",", formats)
                + " --batch " + batch + " --seq " + seq + " --steps " + steps + " --rounds " + rounds;
        ObjectNode root = BenchResults.start("weight-formats", cmd);
        root.put("model", model);
        root.put("batch", batch);
        root.put("seq", seq);
        Path work = options.out().resolve(name + "-runs");
        ArrayNode out = root.putArray("formats");
        Map<String, Double> tokens = new LinkedHashMap<>();
        double baseTokens = Double.NaN;
        double baseBytes = Double.NaN;
        for (String f : formats) {
            JsonNode r = CompressedWorkers.run(options, work, f, heap, 1800, List.of("--model", model, "--format", f,
                    "--role", "client", "--method", "fedbiot", "--k", "2", "--beta", "0.5", "--batch",
                    Integer.toString(batch), "--seq", Integer.toString(seq), "--steps", Integer.toString(steps),
                    "--rounds", Integer.toString(rounds)));
            double tps = batch * seq / r.get("step_seconds").get("median").asDouble();
            double bytes = r.get("weight_bytes").asDouble();
            if (f.equals("f32")) {
                baseTokens = tps;
                baseBytes = bytes;
            }
            ObjectNode o = out.addObject();
            o.put("format", f);
            o.put("tokens_per_s", tps);
            o.put("weight_bytes", bytes);
            o.put("peak_rss_bytes", r.get("peak_rss_bytes").asLong());
            o.put("tokens_per_s_vs_f32", tps / baseTokens);
            o.put("weight_bytes_vs_f32", bytes / baseBytes);
            o.set("worker", r);
            tokens.put(f, tps);
        }
        Path json = options.out().resolve(name + ".json");
        BenchResults.finish(root, json);
        Charts.bars(options.out().resolve(name + ".png"), "Client training tokens/s by weight format (" + model + ")",
                "format", "tokens/s (median step)", Map.of("tokens/s", tokens));
        System.out.println("weight formats -> " + json);
        return 0;
    }
}
