/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.cli.BenchSubcommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedbiot bench replication}: FedBiOT against FedOT, Offsite-Tuning, full-model FedAvg-LoRA and the
 * un-tuned model on the embedded non-iid arithmetic task (one client per category, held-out test split, exact
 * match of the answer), AdapEmu and AdapFu for each, over several seeds; then an ablation of FedBiOT's lambda
 * (KL weight), mu (proximal weight) and E (alignment steps per round) at the first seed.
 *
 * <p>Every run is one {@link SimulationWorker} JVM with its own directory under {@code --out}/replication-runs;
 * a run whose {@code bench.json} exists is not repeated, so the command can be stopped and re-run, and
 * {@code --aggregate-only} rebuilds the tables and plots from whatever runs have finished.
 */
@Command(name = "replication", mixinStandardHelpOptions = true,
        description = "FedBiOT vs FedOT vs Offsite-Tuning vs FedAvg-LoRA vs un-tuned on the default task, "
                + "AdapEmu/AdapFu, several seeds, plus a lambda/mu/E ablation.")
public final class ReplicationBench implements BenchSubcommand {
    private static final Logger logger = LoggerFactory.getLogger(ReplicationBench.class);

    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--model-dir", defaultValue = "${sys:user.home}/.cache/fedbiot/models/smollm2-135m-instruct",
            description = "Hugging Face model directory (default: ${DEFAULT-VALUE}; see docs/pretrained-weights.md).")
    private Path modelDir;

    @Option(names = "--task-dir", defaultValue = "fedbiot-cli/src/main/resources/fedbiot/default-task",
            description = "Directory with train.jsonl, test.jsonl, public.jsonl (default: ${DEFAULT-VALUE}).")
    private Path taskDir;

    @Option(names = "--methods", split = ",", defaultValue = "fedbiot,fedot,offsite,fedavg-full")
    private List<String> methods;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3")
    private List<Long> seeds;

    @Option(names = "--rounds", defaultValue = "3")
    private int rounds;

    @Option(names = "--local-steps", defaultValue = "4")
    private int localSteps;

    @Option(names = "--batch", defaultValue = "4")
    private int batch;

    @Option(names = "--lr", defaultValue = "3e-4")
    private double lr;

    @Option(names = "--k", defaultValue = "2", description = "FedBiOT adapter layers K")
    private int k;

    @Option(names = "--beta", defaultValue = "0.5", description = "Layer drop rate beta (all compressed methods)")
    private double beta;

    @Option(names = "--kl", defaultValue = "0.9", description = "lambda")
    private double kl;

    @Option(names = "--mu", defaultValue = "1.0", description = "mu (proximal weight)")
    private double mu;

    @Option(names = "--align-steps", defaultValue = "3", description = "E")
    private int alignSteps;

    @Option(names = "--pre-align-rounds", defaultValue = "2", description = "R0 (pre-alignment = R0 * E steps)")
    private int preAlignRounds;

    @Option(names = "--eval-generate", defaultValue = "8", description = "Test examples generated per client")
    private int evalGenerate;

    @Option(names = "--eval-max", defaultValue = "16", description = "Test examples scored (loss) per client")
    private int evalMax;

    @Option(names = "--max-new-tokens", defaultValue = "10")
    private int maxNewTokens;

    @Option(names = "--ablate-kl", split = ",", defaultValue = "0,2")
    private List<Double> ablateKl;

    @Option(names = "--ablate-mu", split = ",", defaultValue = "0,5")
    private List<Double> ablateMu;

    @Option(names = "--ablate-align-steps", split = ",", defaultValue = "1,6")
    private List<Integer> ablateE;

    @Option(names = "--ablate-k", split = ",", defaultValue = "4",
            description = "Adapter depths K for the ablation (FedBiOT; the baselines' adapter has 2 * 2 layers)")
    private List<Integer> ablateK;

    @Option(names = "--lora-targets", split = ",", defaultValue = "q_proj,v_proj",
            description = "LoRA target modules, every method (default: the paper's ${DEFAULT-VALUE}).")
    private List<String> loraTargets;

    @Option(names = "--no-ablation", description = "Skip the ablation runs")
    private boolean noAblation;

    @Option(names = "--aggregate-only", description = "Only rebuild tables and plots from finished runs")
    private boolean aggregateOnly;

    @Option(names = "--heap", defaultValue = "3g")
    private String heap;

    /** The embedded task's categories, one client each (non-iid). */
    private static final int CATEGORIES = 4;

    /** One planned run. */
    private record Run(String name, String group, String method, long seed, double kl, double mu, int e, int k) {}

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        List<Run> plan = plan();
        Path runs = options.out().resolve("replication-runs");
        if (!aggregateOnly) {
            for (Run r : plan) {
                Path dir = runs.resolve(r.name());
                if (Files.exists(dir.resolve("bench.json"))) {
                    logger.info("replication: {} already done", r.name());
                    continue;
                }
                deleteTree(dir);
                logger.info("replication: running {}", r.name());
                try {
                    ChildJvm.run(heap, runs.resolve(r.name() + ".log"), 4 * 3600, List.of("bench",
                            "simulation-worker", "--threads", Integer.toString(options.threads()), "--config-json",
                            configJson(r), "--run-dir", dir.toString()));
                } catch (FedbiotException e) {
                    logger.warn("replication: {} failed: {}", r.name(), e.getMessage());
                }
            }
        }
        aggregate(plan, runs);
        return 0;
    }

    private List<Run> plan() {
        List<Run> out = new ArrayList<>();
        for (long s : seeds) {
            for (String m : methods) {
                out.add(new Run(m + "-s" + s, "main", m, s, kl, mu, alignSteps, k));
            }
        }
        if (!noAblation && methods.contains("fedbiot")) {
            long s = seeds.get(0);
            ablateKl.forEach(v -> out.add(new Run("fedbiot-kl" + v + "-s" + s, "lambda", "fedbiot", s, v, mu, alignSteps,
                    k)));
            ablateMu.forEach(v -> out.add(new Run("fedbiot-mu" + v + "-s" + s, "mu", "fedbiot", s, kl, v, alignSteps,
                    k)));
            ablateE.forEach(v -> out.add(new Run("fedbiot-E" + v + "-s" + s, "E", "fedbiot", s, kl, mu, v, k)));
            ablateK.forEach(v -> out.add(new Run("fedbiot-K" + v + "-s" + s, "K", "fedbiot", s, kl, mu, alignSteps,
                    v)));
        }
        return out;
    }

    private String configJson(Run r) {
        ObjectNode c = BenchResults.JSON.createObjectNode();
        c.put("seed", r.seed());
        c.put("algorithm", r.method());
        c.putObject("model").put("dir", modelDir.toAbsolutePath().toString());
        ObjectNode d = c.putObject("data");
        d.put("train", taskDir.resolve("train.jsonl").toAbsolutePath().toString());
        d.put("test", taskDir.resolve("test.jsonl").toAbsolutePath().toString());
        d.put("public", taskDir.resolve("public.jsonl").toAbsolutePath().toString());
        d.put("partition", "category");
        d.put("clients", CATEGORIES);
        d.put("validation_fraction", 0.02);
        d.put("test_fraction", 0.0);
        d.put("max_length", 128);
        ObjectNode p = c.putObject("plan");
        p.put("adapter_layers", r.k());
        p.put("drop_rate", beta);
        p.put("baseline_pad", 2);
        ArrayNode targets = c.putObject("lora").putArray("targets");
        loraTargets.forEach(targets::add);
        c.putObject("optimizer").put("lr", lr);
        ObjectNode cl = c.putObject("client");
        cl.put("local_steps", localSteps);
        cl.put("batch_size", batch);
        cl.put("grad_accum", 1);
        cl.put("proximal_weight", r.method().equals("fedbiot") ? r.mu() : 0.0);
        cl.put("proximal_gradient", true);
        ObjectNode sv = c.putObject("server");
        sv.put("align_steps", r.e());
        sv.put("pre_align_rounds", preAlignRounds);
        sv.put("kl_weight", r.kl());
        sv.put("batch_size", batch);
        sv.put("grad_accum", 1);
        sv.put("fedot_distill", false);
        c.putObject("federation").put("rounds", rounds);
        ObjectNode ev = c.putObject("eval");
        ev.put("every", rounds);
        // Offsite-Tuning's one data owner holds every category; its test set is dealt round-robin over them, so
        // CATEGORIES times the per-client caps score the same examples as the four clients of the other methods
        int owners = r.method().equals("offsite") ? CATEGORIES : 1;
        ev.put("max_examples", evalMax * owners);
        ev.put("generate_examples", evalGenerate * owners);
        ev.put("max_new_tokens", maxNewTokens);
        ev.put("batch_size", 8);
        return c.toString();
    }

    private void aggregate(List<Run> plan, Path runs) {
        String cmd = "fedbiot bench replication --rounds " + rounds + " --local-steps " + localSteps + " --batch "
                + batch + " --lr " + lr + " --k " + k + " --beta " + beta + " --kl " + kl + " --mu " + mu
                + " --align-steps " + alignSteps + " --pre-align-rounds " + preAlignRounds + " --eval-generate "
                + evalGenerate + " --eval-max " + evalMax + " --max-new-tokens " + maxNewTokens + " --lora-targets "
                + String.join(",", loraTargets) + " --seeds "
                + String.join(",", seeds.stream().map(String::valueOf).toList());
        ObjectNode root = BenchResults.start("replication", cmd);
        root.put("model_dir", modelDir.toString());
        root.put("task", "default-task: 4 arithmetic categories, one client each (non-iid), test.jsonl held out");
        ArrayNode all = root.putArray("runs");
        Map<String, Map<String, List<Double>>> em = new LinkedHashMap<>();   // method -> target -> values
        Map<String, Map<String, List<Double>>> loss = new LinkedHashMap<>();
        Map<String, Map<String, Double>> ablation = new LinkedHashMap<>();
        for (Run r : plan) {
            Path f = runs.resolve(r.name()).resolve("bench.json");
            if (!Files.exists(f)) {
                continue;
            }
            JsonNode b;
            try {
                b = BenchResults.JSON.readTree(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ObjectNode o = all.addObject();
            o.put("name", r.name());
            o.put("group", r.group());
            o.put("method", r.method());
            o.put("seed", r.seed());
            o.put("kl", r.kl());
            o.put("mu", r.mu());
            o.put("align_steps", r.e());
            o.put("adapter_layers", r.k());
            o.set("test", b.get("test"));
            o.put("wall_seconds", b.get("wall_seconds").asDouble());
            o.put("peak_rss_bytes", b.get("peak_rss_bytes").asLong());
            JsonNode t = b.get("test");
            if (r.group().equals("main")) {
                for (String target : List.of("untuned", "adap_emu", "adap_fu")) {
                    JsonNode s = t.get(target);
                    if (s != null && s.hasNonNull("exact_match")) {
                        em.computeIfAbsent(r.method(), x -> new LinkedHashMap<>())
                                .computeIfAbsent(target, x -> new ArrayList<>()).add(s.get("exact_match").asDouble());
                    }
                    if (s != null && s.hasNonNull("loss")) {
                        loss.computeIfAbsent(r.method(), x -> new LinkedHashMap<>())
                                .computeIfAbsent(target, x -> new ArrayList<>()).add(s.get("loss").asDouble());
                    }
                }
            }
            if (r.method().equals("fedbiot") && r.seed() == seeds.get(0)) {
                String label = r.group().equals("main") ? "base" : r.group() + "=" + switch (r.group()) {
                    case "E" -> String.valueOf(r.e());
                    case "K" -> String.valueOf(r.k());
                    case "mu" -> String.valueOf(r.mu());
                    default -> String.valueOf(r.kl());
                };
                for (String target : List.of("adap_emu", "adap_fu")) {
                    JsonNode s = t.get(target);
                    if (s != null && s.hasNonNull("loss")) {
                        ablation.computeIfAbsent(target + " test loss", x -> new LinkedHashMap<>()).put(label,
                                s.get("loss").asDouble());
                    }
                    if (s != null && s.hasNonNull("exact_match")) {
                        ablation.computeIfAbsent(target + " exact match", x -> new LinkedHashMap<>()).put(label,
                                s.get("exact_match").asDouble());
                    }
                }
            }
        }
        ObjectNode table = root.putObject("summary");
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        em.forEach((method, byTarget) -> {
            ObjectNode mo = table.putObject(method);
            byTarget.forEach((target, xs) -> {
                ObjectNode to = mo.putObject(target);
                to.put("exact_match_mean", mean(xs));
                to.put("exact_match_std", std(xs));
                BenchResults.putStats(to, "exact_match", Stats.of(xs));
                List<Double> l = loss.getOrDefault(method, Map.of()).get(target);
                if (l != null && !l.isEmpty()) {
                    to.put("loss_mean", mean(l));
                    to.put("loss_std", std(l));
                }
                if (l != null && !l.isEmpty()) {
                    bars.computeIfAbsent(target, x -> new LinkedHashMap<>()).put(method, mean(l));
                }
            });
        });
        root.set("ablation", BenchResults.JSON.valueToTree(ablation));
        Path json = options.out().resolve("replication.json");
        BenchResults.finish(root, json);
        if (!bars.isEmpty()) {
            Charts.bars(options.out().resolve("replication.png"), "Test loss on answer tokens by method (mean over "
                    + "seeds; lower is better)", "method", "loss (nats/token)", bars);
        }
        if (!ablation.isEmpty()) {
            Map<String, Map<String, Double>> lossOnly = new LinkedHashMap<>();
            ablation.forEach((k, v) -> {
                if (k.endsWith("loss")) {
                    lossOnly.put(k, v);
                }
            });
            Charts.bars(options.out().resolve("replication-ablation.png"), "FedBiOT ablation (seed " + seeds.get(0)
                    + "): test loss", "setting", "loss (nats/token)", lossOnly);
        }
        System.out.println("replication: " + all.size() + " of " + plan.size() + " runs finished -> " + json);
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double std(List<Double> xs) {
        if (xs.size() < 2) {
            return 0;
        }
        double m = mean(xs);
        return Math.sqrt(xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (xs.size() - 1));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
