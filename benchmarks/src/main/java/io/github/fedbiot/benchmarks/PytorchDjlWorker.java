/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.cli.BenchSubcommand;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.GenerationConfig;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.LocalTrainResult;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fedbiot-djl side of {@code fedbiot bench pytorch}, run in its own JVM (hidden subcommand): the same
 * measurements as python/bench/hf_bench.py on the same shape, written in the same JSON schema. Training samples
 * are the mean step time of a {@code trainLocal} call of {@code --group-steps} steps (LoRA on every layer,
 * AdamW); forward samples time {@code evaluate} (forward and loss, no gradient); generation times greedy
 * decoding with the KV cache, batch 1, without stopping at EOS.
 */
@Command(name = "pytorch-djl-worker", hidden = true, description = "fedbiot-djl side of bench pytorch.")
public final class PytorchDjlWorker implements BenchSubcommand {
    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--size", required = true)
    private String size;

    @Option(names = "--batch", defaultValue = "4")
    private int batch;

    @Option(names = "--seq", defaultValue = "128")
    private int seq;

    @Option(names = "--warmup", defaultValue = "2")
    private int warmup;

    @Option(names = "--groups", defaultValue = "3")
    private int groups;

    @Option(names = "--group-steps", defaultValue = "3")
    private int groupSteps;

    @Option(names = "--gen-prompt", defaultValue = "16")
    private int genPrompt;

    @Option(names = "--gen-new", defaultValue = "32")
    private int genNew;

    @Option(names = "--gen-repeats", defaultValue = "3")
    private int genRepeats;

    @Option(names = "--modes", split = ",", defaultValue = "train,forward,generate")
    private List<String> modes;

    @Option(names = "--result", required = true)
    private Path result;

    @Option(names = "--profile", description = "Also profile one trainLocal call of --group-steps steps and --group-steps forward passes (PyTorch profiler)")
    private boolean profile;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        options.applyThreads();
        ModelSpec spec = ModelPresets.get(size);
        LoraSpec lora = LoraSpec.DEFAULT;
        List<Integer> stack = IntStream.range(0, spec.numLayers()).boxed().toList();
        SplittableRandom rng = new SplittableRandom(options.seed());
        int[] tokens = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(spec.vocabSize());
        }
        Batch data = new Batch(batch, seq, tokens, tokens.clone(), batch);
        long tok = (long) batch * seq;
        ObjectNode root = BenchResults.JSON.createObjectNode();
        root.put("engine", "fedbiot-djl");
        root.put("name", size);
        Engines.get("djl"); // before DJL's own Engine, so the native settings apply
        root.put("versions", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        root.put("threads", options.threads());
        ObjectNode m = root.putObject("model");
        m.put("vocab", spec.vocabSize());
        m.put("hidden", spec.hiddenSize());
        m.put("layers", spec.numLayers());
        m.put("heads", spec.numHeads());
        m.put("kv_heads", spec.numKvHeads());
        m.put("intermediate", spec.intermediateSize());
        m.put("tie", spec.tieWordEmbeddings());
        m.put("parameters", spec.parameterCount());
        root.put("batch", batch);
        root.put("seq", seq);
        root.put("seed", options.seed());
        try (DjlBaseModel model = DjlBaseModel.random(spec, options.seed(), null)) {
            NamedTensors adapter = LoraInit.create(spec, lora, stack, options.seed());
            ObjectNode l = root.putObject("lora");
            l.put("r", lora.rank());
            l.put("alpha", lora.alpha());
            l.put("dropout", lora.dropout());
            l.put("trainable", adapter.numel());
            if (modes.contains("train")) {
                NamedTensors[] cur = {adapter};
                trainCall(model, stack, lora, cur, data, warmup);
                List<Double> t = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    long t0 = System.nanoTime();
                    trainCall(model, stack, lora, cur, data, groupSteps);
                    t.add((System.nanoTime() - t0) / 1e9 / groupSteps);
                }
                // one-step calls too: what `fedbiot bench engine` times (per-call setup included)
                List<Double> single = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    long t0 = System.nanoTime();
                    trainCall(model, stack, lora, cur, data, 1);
                    single.add((System.nanoTime() - t0) / 1e9);
                }
                ObjectNode o = timed(root, "train", t, tok);
                o.put("group_steps", groupSteps);
                BenchResults.putStats(o, "single_step_call_seconds", Stats.of(single));
                if (profile) {
                    root.set("train_profile", profile("train", () -> trainCall(model, stack, lora, cur, data, groupSteps)));
                }
            }
            if (modes.contains("forward")) {
                for (int i = 0; i < warmup; i++) {
                    model.evaluate(stack, lora, adapter, List.of(data));
                }
                List<Double> t = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < groupSteps; i++) {
                        model.evaluate(stack, lora, adapter, List.of(data));
                    }
                    t.add((System.nanoTime() - t0) / 1e9 / groupSteps);
                }
                timed(root, "forward", t, tok).put("group_steps", groupSteps);
                if (profile) {
                    root.set("forward_profile", profile("forward", () -> {
                        for (int i = 0; i < groupSteps; i++) {
                            model.evaluate(stack, lora, adapter, List.of(data));
                        }
                    }));
                }
            }
            if (modes.contains("generate")) {
                int[] prompt = Arrays.copyOf(tokens, genPrompt);
                GenerationConfig gc = new GenerationConfig(genNew, 0, 0, 1, options.seed(), false);
                List<Double> t = new ArrayList<>();
                for (int i = 0; i < 1 + genRepeats; i++) {
                    long t0 = System.nanoTime();
                    int[] out = model.generate(stack, lora, adapter, prompt, gc);
                    double dt = (System.nanoTime() - t0) / 1e9;
                    if (out.length != genNew) {
                        throw new IllegalStateException("generated " + out.length + " tokens, wanted " + genNew);
                    }
                    if (i > 0) {
                        t.add(dt);
                    }
                }
                ObjectNode o = root.putObject("generate");
                BenchResults.putStats(o, "seconds", Stats.of(t));
                BenchResults.putStats(o, "tokens_per_s", Stats.of(t.stream().map(x -> genNew / x).toList()));
                BenchResults.putSamples(o, "samples_s", t);
                o.put("prompt", genPrompt);
                o.put("new_tokens", genNew);
            }
        }
        root.put("peak_rss_bytes", ProcessMemory.peakRssBytes());
        BenchResults.write(root, result);
        return 0;
    }

    /** Runs the work under PyTorch's profiler and returns its operators' self times. */
    private ObjectNode profile(String mode, Runnable work) throws IOException {
        Path trace = result.resolveSibling(result.getFileName() + "." + mode + "-trace.json");
        JniUtils.startProfile(false, false, false);
        long t0 = System.nanoTime();
        work.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        JniUtils.stopProfile(trace.toString());
        ObjectNode prof = TraceSummary.summarise(trace, 20, wall);
        prof.put("steps", groupSteps);
        Files.deleteIfExists(trace);
        return prof;
    }

    private void trainCall(DjlBaseModel model, List<Integer> stack, LoraSpec lora, NamedTensors[] cur, Batch data,
            int steps) {
        if (steps == 0) {
            return;
        }
        LocalTrainRequest req = new LocalTrainRequest(stack, lora, NamedTensors.empty(), cur[0],
                Collections.nCopies(steps, List.of(data)), OptimizerConfig.DEFAULT, 0.0, true, options.seed());
        LocalTrainResult r = model.trainLocal(req);
        cur[0] = r.trainedLora();
    }

    private static ObjectNode timed(ObjectNode root, String field, List<Double> seconds, long tokens) {
        ObjectNode o = root.putObject(field);
        BenchResults.putStats(o, "seconds", Stats.of(seconds));
        BenchResults.putStats(o, "tokens_per_s", Stats.of(seconds.stream().map(x -> tokens / x).toList()));
        BenchResults.putSamples(o, "samples_s", seconds);
        o.put("tokens_per_step", tokens);
        return o;
    }
}
