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
 * {@code fedbiot bench scale}: memory and round time of the in-process simulation as the number of clients grows.
 * All clients share the one frozen base model; a client adds only its data and, while it trains, its LoRA and
 * optimiser state. Each client count runs in its own JVM ({@link SimulationWorker}) with the default task split iid
 * into that many clients, FedBiOT (K 2, beta 0.5), a fixed number of local steps per client, and loss-only
 * evaluation, and reports the process's peak RSS and each round's wall time; a least-squares line over the counts
 * gives the cost per extra client.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Simulation memory and round time for 2, 8, 32 and 100 clients (one JVM each).")
public final class ScaleBench implements BenchSubcommand {
    private static final Logger logger = LoggerFactory.getLogger(ScaleBench.class);

    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--clients", split = ",", defaultValue = "2,8,32,100")
    private List<Integer> clients;

    @Option(names = "--model-dir", defaultValue = "${sys:user.home}/.cache/fedbiot/models/smollm2-135m-instruct",
            description = "Hugging Face model directory (default: ${DEFAULT-VALUE}).")
    private Path modelDir;

    @Option(names = "--task-dir", defaultValue = "fedbiot-cli/src/main/resources/fedbiot/default-task")
    private Path taskDir;

    @Option(names = "--rounds", defaultValue = "2")
    private int rounds;

    @Option(names = "--local-steps", defaultValue = "1")
    private int localSteps;

    @Option(names = "--batch", defaultValue = "2")
    private int batch;

    @Option(names = "--heap", defaultValue = "3g")
    private String heap;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        String cmd = "fedbiot bench scale --clients " + String.join(",", clients.stream().map(String::valueOf).toList())
                + " --rounds " + rounds + " --local-steps " + localSteps + " --batch " + batch + " --threads "
                + options.threads();
        ObjectNode root = BenchResults.start("scale", cmd);
        root.put("model_dir", modelDir.toString());
        root.put("setup", "FedBiOT K=2 beta=0.5, iid split of the default task, " + localSteps + " local step(s) of "
                + batch + " examples per client per round, 1 alignment step per round, loss-only evaluation");
        Path runs = options.out().resolve("scale-runs");
        ArrayNode arr = root.putArray("runs");
        List<double[]> rssPts = new ArrayList<>();
        List<double[]> roundPts = new ArrayList<>();
        List<double[]> lastPts = new ArrayList<>();
        for (int n : clients) {
            Path dir = runs.resolve("clients-" + n);
            deleteQuietly(dir);
            logger.info("scale: {} clients", n);
            ChildJvm.run(heap, runs.resolve("clients-" + n + ".log"), 3 * 3600, List.of("bench", "simulation-worker",
                    "--threads", Integer.toString(options.threads()), "--config-json", configJson(n), "--run-dir",
                    dir.toString()));
            JsonNode b;
            try {
                b = BenchResults.JSON.readTree(dir.resolve("bench.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ObjectNode o = arr.addObject();
            o.put("clients", n);
            o.put("peak_rss_bytes", b.get("peak_rss_bytes").asLong());
            o.put("rss_after_load_bytes", b.get("rss_after_load_bytes").asLong());
            o.put("wall_seconds", b.get("wall_seconds").asDouble());
            ArrayNode rs = o.putArray("rounds");
            double last = 0;
            double first = 0;
            for (JsonNode r : b.get("rounds")) {
                ObjectNode ro = rs.addObject();
                ro.put("round", r.get("round").asInt());
                ro.put("wall_seconds", r.get("wall_seconds").asDouble());
                ro.put("rss_bytes", r.get("rss_bytes").asLong());
                if (r.get("round").asInt() > 0) {
                    last = r.get("wall_seconds").asDouble();
                }
                if (r.get("round").asInt() == 1) {
                    first = r.get("wall_seconds").asDouble();
                }
            }
            // round 1: broadcast, every client's local training, validation and FedAvg (no alignment, no
            // evaluation unless it is also the last round); the last round adds alignment and evaluation
            o.put("round1_seconds", first);
            o.put("last_round_seconds", last);
            rssPts.add(new double[] {n, b.get("peak_rss_bytes").asDouble() / (1 << 20)});
            roundPts.add(new double[] {n, first});
            lastPts.add(new double[] {n, last});
        }
        double[] memFit = fit(rssPts);
        double[] timeFit = fit(roundPts);
        ObjectNode g = root.putObject("growth");
        g.put("peak_rss_mib_intercept", memFit[0]);
        g.put("peak_rss_mib_per_client", memFit[1]);
        g.put("round_seconds_intercept", timeFit[0]);
        g.put("round_seconds_per_client", timeFit[1]);
        Path json = options.out().resolve("scale.json");
        BenchResults.finish(root, json);
        Map<String, List<double[]>> mem = new LinkedHashMap<>();
        mem.put("peak RSS (MiB)", rssPts);
        Charts.lines(options.out().resolve("scale-memory.png"), "Simulation peak RSS vs clients (shared base weights)",
                "clients", "MiB", mem, true);
        Map<String, List<double[]>> time = new LinkedHashMap<>();
        time.put("round 1: training + FedAvg (s)", roundPts);
        time.put("last round: + alignment + evaluation (s)", lastPts);
        Charts.lines(options.out().resolve("scale-round-time.png"), "Round wall time vs clients", "clients", "seconds",
                time, true);
        System.out.printf("scale: %.1f MiB + %.2f MiB/client, %.2f s + %.3f s/client per round -> %s%n", memFit[0],
                memFit[1], timeFit[0], timeFit[1], json);
        return 0;
    }

    /** Least squares y = a + b x; returns {a, b}. */
    static double[] fit(List<double[]> pts) {
        int n = pts.size();
        if (n < 2) {
            return new double[] {n == 1 ? pts.get(0)[1] : 0, 0};
        }
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : pts) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {(sy - b * sx) / n, b};
    }

    private String configJson(int n) {
        ObjectNode c = BenchResults.JSON.createObjectNode();
        c.put("seed", options.seed());
        c.put("algorithm", "fedbiot");
        c.putObject("model").put("dir", modelDir.toAbsolutePath().toString());
        ObjectNode d = c.putObject("data");
        d.put("train", taskDir.resolve("train.jsonl").toAbsolutePath().toString());
        d.put("test", taskDir.resolve("test.jsonl").toAbsolutePath().toString());
        d.put("public", taskDir.resolve("public.jsonl").toAbsolutePath().toString());
        d.put("partition", "iid");
        d.put("clients", n);
        d.put("validation_fraction", 0.0);
        d.put("test_fraction", 0.0);
        d.put("max_length", 128);
        ObjectNode p = c.putObject("plan");
        p.put("adapter_layers", 2);
        p.put("drop_rate", 0.5);
        ObjectNode cl = c.putObject("client");
        cl.put("local_steps", localSteps);
        cl.put("batch_size", batch);
        cl.put("grad_accum", 1);
        ObjectNode sv = c.putObject("server");
        sv.put("align_steps", 1);
        sv.put("pre_align_rounds", 1);
        sv.put("batch_size", batch);
        sv.put("grad_accum", 1);
        c.putObject("federation").put("rounds", rounds);
        ObjectNode ev = c.putObject("eval");
        ev.put("every", rounds);
        ev.put("max_examples", 1);
        ev.put("generate_examples", 0);
        ev.put("batch_size", 8);
        return c.toString();
    }

    private static void deleteQuietly(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var s = java.nio.file.Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
