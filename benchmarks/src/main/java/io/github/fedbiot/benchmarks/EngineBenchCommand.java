/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Batch;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.LocalTrainRequest;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.model.Architecture;
import io.github.fedbiot.model.LoraInit;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.AtomicFile;
import io.github.fedbiot.tensor.NamedTensors;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the DJL engine on a randomly initialised model: LoRA training steps ({@code trainLocal} with one
 * micro-batch per step) and forward passes ({@code evaluate}: forward and loss, no gradient), in tokens per
 * second, with median and spread over the timed steps, and the process's peak resident memory.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Measures training-step and forward tokens/s and peak RSS of the DJL engine; writes JSON.")
public final class EngineBenchCommand implements io.github.fedbiot.cli.BenchSubcommand {

    /** Model presets. */
    enum Preset {
        /** vocab 13312, d 256, 4 heads, 4 layers, MLP 1024 (about 10M parameters). */
        TEN_M("10m"),
        /**
         * The shape of the largest model fedbiot runs, its default SmolLM2-135M: vocab 49152, d 576, 9 heads
         * (3 KV), 30 layers, MLP 1536, tied embeddings (about 135M parameters).
         */
        LARGEST("largest");

        private final String label;

        Preset(String label) {
            this.label = label;
        }

        static Preset parse(String s) {
            for (Preset p : values()) {
                if (p.label.equalsIgnoreCase(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown preset '" + s + "'; choose 10m or largest");
        }
    }

    @Option(names = "--preset", defaultValue = "10m",
            description = "10m (default) or largest (the SmolLM2-135M shape); random weights.")
    private String preset;

    @Option(names = "--model", description = "Benchmark this model directory instead of a preset.")
    private Path modelDir;

    @Option(names = "--arch", defaultValue = "llama", description = "llama (default) or gpt2.")
    private String arch;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size B (default ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Sequence length T (default ${DEFAULT-VALUE}).")
    private int seqLen;

    @Option(names = "--rank", defaultValue = "8", description = "LoRA rank (default ${DEFAULT-VALUE}).")
    private int rank;

    @Option(names = "--targets", defaultValue = "q_proj,v_proj", split = ",",
            description = "LoRA target modules (default ${DEFAULT-VALUE}).")
    private List<String> targets;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps per mode (default ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: PyTorch's choice).")
    private Integer threads;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of weights and data (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", defaultValue = "results/bench-engine.json", description = "Result file.")
    private Path out;

    /**
     * Runs the benchmark.
     *
     * @return the exit code
     */
    @Override
    public Integer call() throws IOException {
        if (steps < 1 || warmup < 0 || batch < 1 || seqLen < 2) {
            throw new IllegalArgumentException("need --steps >= 1, --warmup >= 0, --batch >= 1, --seq >= 2");
        }
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", threads.toString());
        }
        ModelSpec spec = modelDir != null ? ModelSpec.read(modelDir) : spec(Preset.parse(preset), arch);
        LoraSpec lora = new LoraSpec(rank, 2.0 * rank, 0.05, targets).forArchitecture(spec.architecture());
        List<Integer> stack = new ArrayList<>();
        for (int i = 0; i < spec.numLayers(); i++) {
            stack.add(i);
        }
        Batch data = randomBatch(spec.vocabSize());
        double[][] train;
        double[][] forward;
        TrainingEngine engine = Engines.get("djl");
        try (BaseModel model = modelDir != null ? engine.load(modelDir) : engine.random(spec, seed, null)) {
            NamedTensors adapter = LoraInit.create(spec, lora, stack, seed);
            LocalTrainRequest step = new LocalTrainRequest(stack, lora, NamedTensors.empty(), adapter,
                    List.of(List.of(data)), OptimizerConfig.DEFAULT, 0.0, true, seed);
            train = time(() -> model.trainLocal(step));
            forward = time(() -> model.evaluate(stack, lora, adapter, List.of(data)));
        }
        long tokens = (long) batch * seqLen;
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("benchmark", "engine");
        json.put("timestamp", Instant.now().toString());
        json.put("preset", modelDir != null ? modelDir.toString() : preset);
        json.put("architecture", spec.modelType());
        json.put("parameters", spec.parameterCount());
        json.set("spec", spec.toConfigJson());
        json.put("batch", batch);
        json.put("seq_len", seqLen);
        json.put("lora_rank", rank);
        json.putPOJO("lora_targets", lora.targets());
        json.put("threads", threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        json.put("warmup", warmup);
        json.put("steps", steps);
        json.set("train_step", summary(train, tokens));
        json.set("forward", summary(forward, tokens));
        json.put("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        json.put("peak_rss_mib", peakRssKib() / 1024.0);
        json.put("java", System.getProperty("java.version"));
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] bytes = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        AtomicFile.write(out, o -> o.write(bytes));
        System.out.printf("%s %s (%,d parameters), B=%d T=%d, LoRA r=%d on %s%n",
                modelDir != null ? modelDir : preset, spec.modelType(),
                spec.parameterCount(), batch, seqLen, rank, lora.targets());
        print("train step", train, json.get("train_step"));
        print("forward   ", forward, json.get("forward"));
        System.out.printf("peak RSS %.0f MiB; wrote %s%n", peakRssKib() / 1024.0, out);
        return 0;
    }

    private static void print(String what, double[][] t, com.fasterxml.jackson.databind.JsonNode n) {
        System.out.printf("%s: median %.0f tokens/s (%.1f ms; min %.1f, max %.1f ms; CPU %.1f ms/step)%n", what,
                n.get("median_tokens_per_s").asDouble(), median(t[0]) * 1e3,
                Arrays.stream(t[0]).min().orElse(0) * 1e3, Arrays.stream(t[0]).max().orElse(0) * 1e3,
                median(t[1]) * 1e3);
    }

    static ModelSpec spec(Preset preset, String arch) {
        boolean gpt2 = switch (arch.toLowerCase()) {
            case "llama" -> false;
            case "gpt2" -> true;
            default -> throw new IllegalArgumentException("unknown --arch '" + arch + "'; choose llama or gpt2");
        };
        boolean small = preset == Preset.TEN_M;
        int vocab = small ? 13312 : 49152;
        int d = small ? 256 : 576;
        int heads = small ? 4 : 9;
        int layers = small ? 4 : 30;
        int inter = small ? 4 * d : 1536;
        if (gpt2) {
            return new ModelSpec(Architecture.GPT2, "gpt2", vocab, d, layers, heads, heads, d / heads, inter, 1024,
                    1e-5, 0, null, true, true, "gelu_new", -1, vocab - 1);
        }
        if (small) {
            return ModelSpec.llama(vocab, d, layers, heads, heads, inter, 2048, false);
        }
        return new ModelSpec(Architecture.LLAMA, "llama", vocab, d, layers, heads, 3, d / heads, inter, 8192, 1e-5,
                100000.0, null, false, true, "silu", 1, 2);
    }

    private Batch randomBatch(int vocab) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] tokens = new int[batch * seqLen];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(vocab);
        }
        return new Batch(batch, seqLen, tokens, tokens.clone(), batch);
    }

    /** Returns {wall seconds per step, process CPU seconds per step}. */
    private double[][] time(Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] wall = new double[steps];
        double[] cpu = new double[steps];
        for (int i = 0; i < steps; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            r.run();
            wall[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1e9;
        }
        return new double[][] {wall, cpu};
    }

    private static ObjectNode summary(double[][] wallAndCpu, long tokens) {
        double[] seconds = wallAndCpu[0];
        ObjectNode n = new ObjectMapper().createObjectNode();
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        n.put("median_s", median(seconds));
        n.put("min_s", sorted[0]);
        n.put("max_s", sorted[sorted.length - 1]);
        n.put("p10_s", sorted[(int) Math.floor(0.1 * (sorted.length - 1))]);
        n.put("p90_s", sorted[(int) Math.ceil(0.9 * (sorted.length - 1))]);
        n.put("median_tokens_per_s", tokens / median(seconds));
        n.put("best_tokens_per_s", tokens / sorted[0]);
        ArrayNode all = n.putArray("step_s");
        for (double s : seconds) {
            all.add(s);
        }
        // CPU seconds of the whole process per step: contention-independent work, summed over threads
        n.put("median_cpu_s", median(wallAndCpu[1]));
        ArrayNode cpu = n.putArray("step_cpu_s");
        for (double s : wallAndCpu[1]) {
            cpu.add(s);
        }
        return n;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Returns the peak resident set size from /proc (Linux), or -1. */
    static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
