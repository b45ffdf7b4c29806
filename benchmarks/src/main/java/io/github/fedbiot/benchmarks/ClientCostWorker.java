/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.cli.BenchSubcommand;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.engine.AlignRequest;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.LoadOptions;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.engine.WeightFormat;
import io.github.fedbiot.model.LayerPlan;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One configuration of {@code fedbiot bench client-cost}, run in its own JVM (hidden subcommand
 * {@code client-cost-worker}).
 *
 * <p>Role {@code client}: the process holds exactly what a client of the method holds in a real deployment, a
 * model of the compressed depth (emulator + adapter layers; the full depth for FedAvg-LoRA) with seeded random
 * weights of the preset's shape, the emulator LoRA (FedBiOT) and the adapter LoRA with its AdamW state, and runs
 * local rounds through the engine SPI ({@code trainLocal}). Role {@code server}: the full model and FedBiOT's
 * per-round emulator alignment ({@code alignEmulator}). It writes peak resident memory, time per step and the
 * bytes of the LoRA tensors that would travel.
 */
@Command(name = "client-cost-worker", hidden = true, description = "One configuration of bench client-cost.")
public final class ClientCostWorker implements BenchSubcommand {
    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--role", defaultValue = "client")
    private String role;

    @Option(names = "--method", required = true, description = "fedbiot, fedot or fedavg")
    private String method;

    @Option(names = "--model", defaultValue = "smollm2-135m")
    private String model;

    @Option(names = "--k", defaultValue = "2")
    private int k;

    @Option(names = "--beta", defaultValue = "0.5")
    private double beta;

    @Option(names = "--batch", defaultValue = "4")
    private int batch;

    @Option(names = "--seq", defaultValue = "128")
    private int seq;

    @Option(names = "--steps", defaultValue = "4", description = "Steps per round")
    private int steps;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds (after one warm-up round of 1 step)")
    private int rounds;

    @Option(names = "--kl", defaultValue = "0.0", description = "Server: KL weight lambda")
    private double kl;

    @Option(names = "--result", required = true)
    private Path result;

    @Option(names = "--format", defaultValue = "f32", description = "model.weight_format of the frozen weights")
    private String format;

    @Option(names = "--checkpointing", defaultValue = "auto", description = "model.activation_checkpointing")
    private String checkpointing;

    @Option(names = "--random-blocks", description = "Draw a block format's weights directly as blocks (no float32)")
    private boolean randomBlocks;

    @Option(names = "--warmup", defaultValue = "true", arity = "1", description = "Run a 1-step warm-up round first")
    private boolean warmup;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        options.applyThreads();
        ModelSpec full = ModelPresets.get(model);
        LoraSpec lora = LoraSpec.DEFAULT;
        LayerPlan plan = switch (method) {
            case "fedbiot" -> LayerPlan.lastK(full.numLayers(), k, beta);
            case "fedot" -> LayerPlan.firstAndLast(full.numLayers(), 2, beta);
            case "fedavg" -> LayerPlan.fullModel(full.numLayers());
            default -> throw new IllegalArgumentException("unknown method " + method);
        };
        ObjectNode root = BenchResults.JSON.createObjectNode();
        root.put("role", role);
        root.put("method", method);
        root.put("model", model);
        root.put("k", method.equals("fedbiot") ? k : method.equals("fedot") ? 4 : 0);
        root.put("beta", method.equals("fedavg") ? 0 : beta);
        root.put("batch", batch);
        root.put("seq", seq);
        root.put("steps_per_round", steps);
        root.put("weight_format", format);
        root.put("checkpointing", checkpointing);
        // start the engine first (as fedbiot does, with its native settings), so the JVM + libtorch baseline is known
        io.github.fedbiot.engine.Engines.get("djl");
        root.put("rss_engine_bytes", ProcessMemory.rssBytes());
        if (role.equals("server")) {
            server(full, plan, lora, root);
        } else {
            client(full, plan, lora, root);
        }
        root.put("peak_rss_bytes", ProcessMemory.peakRssBytes());
        BenchResults.write(root, result);
        return 0;
    }

    private void client(ModelSpec full, LayerPlan plan, LoraSpec lora, ObjectNode root) {
        List<Integer> stackInFull = plan.compressedStack();
        int depth = stackInFull.size();
        ModelSpec local = ModelPresets.withLayers(full, depth);
        List<Integer> stack = IntStream.range(0, depth).boxed().toList();
        List<Integer> adapter = new ArrayList<>();
        List<Integer> emulator = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            (plan.adapterLayers().contains(stackInFull.get(i)) ? adapter : emulator).add(i);
        }
        NamedTensors trainable = LoraInit.create(local, lora, adapter, options.seed());
        // FedBiOT clients apply the server's aligned emulator LoRA; FedOT/Offsite emulators carry none
        NamedTensors frozen = method.equals("fedbiot") ? LoraInit.create(local, lora, emulator, options.seed() + 1)
                : NamedTensors.empty();
        root.put("depth", depth);
        root.put("model_parameters", local.parameterCount());
        root.put("trainable_parameters", trainable.numel());
        root.put("bytes_down_once", local.parameterCount() * 4L + frozen.byteSize());
        root.put("bytes_down_per_round", trainable.byteSize() + frozen.byteSize());
        root.put("bytes_up_per_round", trainable.byteSize());
        try (DjlBaseModel m = model(local, root)) {
            List<Double> stepSeconds = new ArrayList<>();
            for (int r = warmup ? 0 : 1; r <= rounds; r++) {
                int n = r == 0 ? 1 : steps;
                LocalTrainRequest req = new LocalTrainRequest(stack, lora, frozen, trainable,
                        BenchData.steps(local.vocabSize(), batch, seq, n, options.seed() + r), OptimizerConfig.DEFAULT,
                        method.equals("fedbiot") ? 0.01 : 0.0, true, options.seed() + r);
                long t0 = System.nanoTime();
                LocalTrainResult res = m.trainLocal(req);
                double dt = (System.nanoTime() - t0) / 1e9;
                trainable = res.trainedLora();
                if (r > 0) {
                    stepSeconds.add(dt / n);
                }
            }
            BenchResults.putStats(root, "step_seconds", Stats.of(stepSeconds));
            BenchResults.putSamples(root, "step_seconds_samples", stepSeconds);
        }
    }

    /** The model in the asked format, with its weights' size and the resident memory once it is built. */
    private DjlBaseModel model(ModelSpec spec, ObjectNode root) {
        WeightFormat f = WeightFormat.parse(format);
        LoadOptions lo = new LoadOptions(f, LoadOptions.Checkpointing.parse(checkpointing));
        long t0 = System.nanoTime();
        DjlBaseModel m = randomBlocks ? DjlBaseModel.randomBlocks(spec, options.seed(), f, lo)
                : DjlBaseModel.random(spec, options.seed(), TrainingEngine.DEFAULT_INIT_STD, null, lo);
        root.put("build_seconds", (System.nanoTime() - t0) / 1e9);
        root.put("weight_bytes", m.weightBytes());
        root.put("rss_model_bytes", ProcessMemory.rssBytes());
        return m;
    }

    private void server(ModelSpec full, LayerPlan plan, LoraSpec lora, ObjectNode root) {
        NamedTensors adapter = LoraInit.create(full, lora, plan.adapterLayers(), options.seed());
        NamedTensors emulator = LoraInit.create(full, lora, plan.emulatorLayers(), options.seed() + 1);
        root.put("depth", full.numLayers());
        root.put("model_parameters", full.parameterCount());
        root.put("trainable_parameters", emulator.numel());
        root.put("kl_weight", kl);
        try (DjlBaseModel m = model(full, root)) {
            List<Double> stepSeconds = new ArrayList<>();
            for (int r = warmup ? 0 : 1; r <= rounds; r++) {
                int n = r == 0 ? 1 : steps;
                AlignRequest req = new AlignRequest(plan, lora, adapter, emulator,
                        BenchData.steps(full.vocabSize(), batch, seq, n, options.seed() + 100 + r),
                        OptimizerConfig.DEFAULT, kl, options.seed() + r);
                long t0 = System.nanoTime();
                AlignResult res = m.alignEmulator(req);
                double dt = (System.nanoTime() - t0) / 1e9;
                emulator = res.emulatorLora();
                if (r > 0) {
                    stepSeconds.add(dt / n);
                }
            }
            BenchResults.putStats(root, "step_seconds", Stats.of(stepSeconds));
            BenchResults.putSamples(root, "step_seconds_samples", stepSeconds);
        }
    }
}
