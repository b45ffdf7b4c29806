/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.cli.BenchSubcommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedbiot bench client-cost}: what one client pays per round under each method, and what FedBiOT's
 * server pays on top (emulator alignment). Every configuration runs in its own JVM
 * ({@link ClientCostWorker}) so that its peak resident memory is its own: FedBiOT with K in {2, 4} and beta in
 * {0.2, 0.5}, FedOT/Offsite-Tuning (first 2 + last 2 layers as adapter; a FedOT client and the single
 * Offsite-Tuning data owner run the same process) and full-model FedAvg-LoRA, then the FedBiOT server.
 */
@Command(name = "client-cost", mixinStandardHelpOptions = true,
        description = "Per-client peak memory, trainable parameters, bytes and step time of each method, "
                + "one JVM per configuration; plus the FedBiOT server's alignment cost.")
public final class ClientCostBench implements BenchSubcommand {
    private static final Logger logger = LoggerFactory.getLogger(ClientCostBench.class);

    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--model", defaultValue = "smollm2-135m", description = "Model preset (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--batch", defaultValue = "4", description = "Rows per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    private int seq;

    @Option(names = "--steps", defaultValue = "4", description = "Local steps per timed round (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds per configuration (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--align-steps", defaultValue = "4", description = "Server alignment steps E per timed round (default: ${DEFAULT-VALUE}).")
    private int alignSteps;

    @Option(names = "--kl", split = ",", defaultValue = "0,1", description = "Server KL weights lambda to measure (default: ${DEFAULT-VALUE}).")
    private List<Double> kls;

    @Option(names = "--heap", defaultValue = "1g", description = "Child JVM -Xmx (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Option(names = "--skip-server", description = "Measure the clients only.")
    private boolean skipServer;

    @Option(names = "--name", defaultValue = "client-cost",
            description = "Result file name without extension (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--configs", split = ",",
            defaultValue = "fedbiot:2:0.2,fedbiot:2:0.5,fedbiot:4:0.2,fedbiot:4:0.5,fedot:4:0.2,fedot:4:0.5,fedavg:0:0",
            description = "Client configurations method:K:beta (default: ${DEFAULT-VALUE}).")
    private List<String> configs;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        String cmd = "fedbiot bench client-cost --model " + model + " --batch " + batch + " --seq " + seq + " --steps "
                + steps + " --rounds " + rounds + " --align-steps " + alignSteps + " --threads " + options.threads()
                + " --configs " + String.join(",", configs) + (skipServer ? " --skip-server" : "") + " --name " + name;
        ObjectNode root = BenchResults.start("client-cost", cmd);
        root.put("model", model);
        root.put("model_parameters", ModelPresets.get(model).parameterCount());
        root.put("batch", batch);
        root.put("seq", seq);
        root.put("lora", "r 8, alpha 16, dropout 0.05, q_proj+v_proj");
        Path work = options.out().resolve(name + "-runs");
        ArrayNode clients = root.putArray("clients");
        Map<String, Double> rss = new LinkedHashMap<>();
        Map<String, Double> step = new LinkedHashMap<>();
        double fedavgPeak = Double.NaN;
        for (String c : configs) {
            String[] p = c.split(":");
            String label = label(p[0], p[1], p[2]);
            JsonNode r = runWorker(work, label.replaceAll("[^A-Za-z0-9.=]+", "_"), List.of("--role", "client",
                    "--method", p[0], "--k", p[1], "--beta", p[2], "--steps", Integer.toString(steps)));
            ObjectNode o = clients.addObject();
            o.put("label", label);
            o.setAll((ObjectNode) r);
            rss.put(label, r.get("peak_rss_bytes").asDouble() / (1 << 20));
            step.put(label, r.get("step_seconds").get("median").asDouble());
            if (p[0].equals("fedavg")) {
                fedavgPeak = r.get("peak_rss_bytes").asDouble();
            }
        }
        if (!Double.isNaN(fedavgPeak)) {
            for (JsonNode o : clients) {
                ((ObjectNode) o).put("peak_rss_vs_fedavg", o.get("peak_rss_bytes").asDouble() / fedavgPeak);
            }
        }
        ArrayNode servers = root.putArray("server");
        for (double kl : skipServer ? List.<Double>of() : kls) {
            JsonNode r = runWorker(work, "server_kl" + kl, List.of("--role", "server", "--method", "fedbiot",
                    "--k", "2", "--beta", "0.5", "--kl", Double.toString(kl), "--steps", Integer.toString(alignSteps)));
            ObjectNode o = servers.addObject();
            o.put("label", "FedBiOT server alignment K=2 beta=0.5 lambda=" + kl);
            o.setAll((ObjectNode) r);
            o.put("align_seconds_per_round_at_E", r.get("step_seconds").get("median").asDouble() * alignSteps);
        }
        Path json = options.out().resolve(name + ".json");
        BenchResults.finish(root, json);
        Charts.bars(options.out().resolve(name + "-memory.png"), "Client peak resident memory per method ("
                + model + ", B=" + batch + ", T=" + seq + ")", "configuration", "peak RSS (MiB)", Map.of("peak RSS", rss));
        Charts.bars(options.out().resolve(name + "-step.png"), "Client time per local step (" + model + ")",
                "configuration", "seconds (median)", Map.of("step time", step));
        System.out.println("client cost -> " + json);
        return 0;
    }

    private JsonNode runWorker(Path work, String name, List<String> args) {
        Path result = work.resolve(name + ".json");
        List<String> a = new ArrayList<>(List.of("bench", "client-cost-worker", "--model", model, "--batch",
                Integer.toString(batch), "--seq", Integer.toString(seq), "--rounds", Integer.toString(rounds), "--threads", Integer.toString(options.threads()), "--seed",
                Long.toString(options.seed()), "--result", result.toString()));
        a.addAll(args);
        logger.info("client-cost: running {}", name);
        ChildJvm.run(heap, work.resolve(name + ".log"), 1800, a);
        try {
            return BenchResults.JSON.readTree(result.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String label(String method, String k, String beta) {
        return switch (method) {
            case "fedbiot" -> "FedBiOT K=" + k + " b=" + beta;
            case "fedot" -> "FedOT/Offsite b=" + beta;
            default -> "FedAvg-LoRA full";
        };
    }
}
