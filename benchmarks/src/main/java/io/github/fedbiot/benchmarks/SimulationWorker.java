/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.cli.BenchSubcommand;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.SimulationResult;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One in-process federated simulation ({@link FederatedSimulation}, the code behind {@code fedbiot simulate}) in
 * its own JVM, for {@code bench replication} and {@code bench scale} (hidden subcommand
 * {@code simulation-worker}). It takes the configuration as JSON, runs it on a model directory and writes
 * {@code bench.json} beside the simulation's own {@code summary.json} and metrics: wall time, peak resident
 * memory, per-round records and the final test scores.
 */
@Command(name = "simulation-worker", hidden = true, description = "One simulation run for bench replication/scale.")
public final class SimulationWorker implements BenchSubcommand {
    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--config-json", required = true, description = "The FedbiotConfig as JSON text")
    private String configJson;

    @Option(names = "--run-dir", required = true)
    private Path runDir;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        options.applyThreads();
        FedbiotConfig config = FedbiotConfigReader.parse(configJson, false);
        long t0 = System.nanoTime();
        ObjectNode root = BenchResults.JSON.createObjectNode();
        root.set("config", BenchResults.JSON.valueToTree(FedbiotConfigReader.flatten(config)));
        try (BaseModel model = Engines.get("djl").load(Path.of(config.model().dir()), config.model().load())) {
            root.put("rss_after_load_bytes", ProcessMemory.rssBytes());
            FederatedDataset data = FederatedDataset.load(config);
            root.put("clients", data.clients().size());
            SimulationResult r = new FederatedSimulation(config, model, data, runDir).run(false);
            ArrayNode rounds = root.putArray("rounds");
            for (RoundRecord rec : r.records()) {
                ObjectNode o = rounds.addObject();
                o.put("round", rec.round());
                o.put("clients_completed", rec.clients().completed());
                o.put("wall_seconds", rec.cost().wallSeconds());
                o.put("rss_bytes", rec.cost().rssBytes());
                o.put("heap_bytes", rec.cost().heapBytes());
                o.put("train_loss", rec.training().loss());
                o.put("align_steps", rec.alignment().steps());
                o.put("bytes_down_per_client", rec.traffic().downPerClient());
                o.put("bytes_up_per_client", rec.traffic().upPerClient());
            }
            ObjectNode scores = root.putObject("test");
            for (Map.Entry<EvaluationTarget, EvalScores> e : r.finalScores().entrySet()) {
                ObjectNode o = scores.putObject(e.getKey().id());
                putFinite(o, "loss", e.getValue().loss());
                putFinite(o, "exact_match", e.getValue().exactMatch());
                o.put("generated", e.getValue().generated());
            }
        }
        root.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
        root.put("peak_rss_bytes", ProcessMemory.peakRssBytes());
        BenchResults.write(root, runDir.resolve("bench.json"));
        return 0;
    }

    private static void putFinite(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }
}
