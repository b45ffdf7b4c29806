/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.cli.BenchSubcommand;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedbiot bench pytorch}: fedbiot-djl against Hugging Face transformers + PEFT on PyTorch eager, same
 * decoder shape and LoRA (r 8, alpha 16, dropout 0.05 on q/v of every layer), fp32, same batch and sequence
 * length and thread count. Per size it alternates the two engines' processes ({@link PytorchDjlWorker} and
 * python/bench/hf_bench.py) {@code --repeats} times, so both see the same machine state; it reports tokens/s of
 * a training step (forward + backward + AdamW), of a forward pass and of greedy generation, their ratios
 * (fedbiot-djl / PyTorch) and the training step's matmul FLOP rate against the machine's measured matmul peak
 * (measured first, in the same run, by {@code bench matmul} in its own JVM).
 */
@Command(name = "pytorch", mixinStandardHelpOptions = true,
        description = "fedbiot-djl vs transformers+PEFT (PyTorch eager): training-step, forward and generation "
                + "tokens/s at several model sizes, ratios and matmul efficiency.")
public final class PytorchBench implements BenchSubcommand {
    private static final Logger logger = LoggerFactory.getLogger(PytorchBench.class);

    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--sizes", split = ",", defaultValue = "tiny,10m,medium,smollm2-135m",
            description = "Model presets (default: ${DEFAULT-VALUE}).")
    private List<String> sizes;

    @Option(names = "--batch", defaultValue = "4", description = "Rows per step (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    private int seq;

    @Option(names = "--repeats", defaultValue = "2", description = "Process pairs per size (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps per process (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--groups", defaultValue = "3", description = "Timed samples per process (default: ${DEFAULT-VALUE}).")
    private int groups;

    @Option(names = "--group-steps", defaultValue = "3", description = "Steps per timed sample (default: ${DEFAULT-VALUE}).")
    private int groupSteps;

    @Option(names = "--gen-new", defaultValue = "32", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    private int genNew;

    @Option(names = "--peak-gflops", description = "Matmul peak to use instead of measuring it.")
    private Double peakGflops;

    @Option(names = "--python", description = "Python with torch/transformers/peft (default: the hf venv from "
            + "tools/python-venv.sh, or $FEDBIOT_HF_PYTHON).")
    private String python;

    @Option(names = "--script", defaultValue = "python/bench/hf_bench.py",
            description = "The PyTorch benchmark script (default: ${DEFAULT-VALUE}).")
    private Path script;

    @Option(names = "--profile", description = "Profile one training call per engine in the last repeat "
            + "(operator self times in the JSON).")
    private boolean profile;

    @Option(names = "--aggregate-only", description = "Do not run anything: rebuild pytorch.json from the "
            + "per-process results already in --out/pytorch-runs (sizes with a missing file are left out).")
    private boolean aggregateOnly;

    @Option(names = "--heap", defaultValue = "4g", description = "Child JVM -Xmx (default: ${DEFAULT-VALUE}).")
    private String heap;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        String cmd = "fedbiot bench pytorch --sizes " + String.join(",", sizes) + " --batch " + batch + " --seq " + seq
                + " --repeats " + repeats + " --warmup " + warmup + " --groups " + groups + " --group-steps "
                + groupSteps + " --gen-new " + genNew + " --threads " + options.threads();
        ObjectNode root = BenchResults.start("pytorch", cmd);
        Path work = options.out().resolve("pytorch-runs");
        String py = aggregateOnly ? null : pythonExecutable();
        double peak = peakGflops != null ? peakGflops : measurePeak(work);
        root.put("matmul_peak_gflops", peak);
        root.put("matmul_peak_source", peakGflops != null ? "--peak-gflops" : "bench matmul --sizes 1024,2048 (same run)");
        root.put("batch", batch);
        root.put("seq", seq);
        root.put("threads", options.threads());
        root.put("lora", "r 8, alpha 16, dropout 0.05, q_proj+v_proj on every layer, AdamW lr 1e-4");
        root.put("flops_note", "matmul FLOPs per FlopCount: training = 2 x linear + 3 x attention/LoRA forward FLOPs");
        ArrayNode out = root.putArray("sizes");
        Map<String, Map<String, List<Double>>> trainBox = new LinkedHashMap<>();
        Map<String, Map<String, Double>> ratioBars = new LinkedHashMap<>();
        Map<String, Map<String, Double>> effBars = new LinkedHashMap<>();
        for (String size : sizes) {
            ModelSpec spec = ModelPresets.get(size);
            List<JsonNode> djl = new ArrayList<>();
            List<JsonNode> hf = new ArrayList<>();
            if (aggregateOnly && !java.util.stream.IntStream.range(0, repeats).allMatch(r ->
                    Files.exists(work.resolve(size + "-djl-" + r + ".json"))
                            && Files.exists(work.resolve(size + "-hf-" + r + ".json")))) {
                logger.warn("pytorch bench: {} has no complete results; left out", size);
                continue;
            }
            for (int r = 0; r < repeats; r++) {
                Path dj = work.resolve(size + "-djl-" + r + ".json");
                Path hj = work.resolve(size + "-hf-" + r + ".json");
                if (aggregateOnly) {
                    djl.add(BenchResults.JSON.readTree(dj.toFile()));
                    hf.add(BenchResults.JSON.readTree(hj.toFile()));
                    continue;
                }
                boolean prof = profile && r == repeats - 1;
                if (r % 2 == 0) {
                    djl.add(runDjl(size, dj, work, prof));
                    hf.add(runHf(py, size, spec, hj, work, prof));
                } else {
                    hf.add(runHf(py, size, spec, hj, work, prof));
                    djl.add(runDjl(size, dj, work, prof));
                }
            }
            ObjectNode o = out.addObject();
            o.put("name", size);
            o.put("parameters", spec.parameterCount());
            ObjectNode shape = o.putObject("shape");
            shape.put("vocab", spec.vocabSize());
            shape.put("hidden", spec.hiddenSize());
            shape.put("layers", spec.numLayers());
            shape.put("heads", spec.numHeads());
            shape.put("kv_heads", spec.numKvHeads());
            shape.put("intermediate", spec.intermediateSize());
            shape.put("tie", spec.tieWordEmbeddings());
            double trainFlops = FlopCount.trainingStep(spec, LoraSpec.DEFAULT, batch, seq);
            double fwdFlops = FlopCount.forward(spec, LoraSpec.DEFAULT, batch, seq);
            o.put("train_gflop_per_step", trainFlops / 1e9);
            o.put("forward_gflop_per_step", fwdFlops / 1e9);
            for (String mode : List.of("train", "forward", "generate")) {
                ObjectNode mo = o.putObject(mode);
                List<Double> d = samples(djl, mode);
                List<Double> h = samples(hf, mode);
                double dm = Stats.of(d).median();
                double hm = Stats.of(h).median();
                BenchResults.putStats(mo, "djl_seconds", Stats.of(d));
                BenchResults.putStats(mo, "pytorch_seconds", Stats.of(h));
                double tokens = mode.equals("generate") ? genNew : (double) batch * seq;
                mo.put("djl_tokens_per_s", tokens / dm);
                mo.put("pytorch_tokens_per_s", tokens / hm);
                mo.put("ratio_djl_over_pytorch", hm / dm);
                List<Double> pairRatios = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    pairRatios.add(Stats.of(samples(List.of(hf.get(r)), mode)).median()
                            / Stats.of(samples(List.of(djl.get(r)), mode)).median());
                }
                BenchResults.putStats(mo, "ratio_per_process_pair", Stats.of(pairRatios));
                if (!mode.equals("generate")) {
                    double flops = mode.equals("train") ? trainFlops : fwdFlops;
                    mo.put("djl_gflops", flops / dm / 1e9);
                    mo.put("pytorch_gflops", flops / hm / 1e9);
                    mo.put("djl_fraction_of_peak", flops / dm / 1e9 / peak);
                    mo.put("pytorch_fraction_of_peak", flops / hm / 1e9 / peak);
                }
                ratioBars.computeIfAbsent(mode, k -> new LinkedHashMap<>()).put(size, hm / dm);
                if (mode.equals("train")) {
                    trainBox.computeIfAbsent("fedbiot-djl", k -> new LinkedHashMap<>())
                            .put(size, d.stream().map(x -> tokens / x).toList());
                    trainBox.computeIfAbsent("PyTorch eager (HF+PEFT)", k -> new LinkedHashMap<>())
                            .put(size, h.stream().map(x -> tokens / x).toList());
                    effBars.computeIfAbsent("fedbiot-djl", k -> new LinkedHashMap<>()).put(size, flops(trainFlops, dm, peak));
                    effBars.computeIfAbsent("PyTorch eager", k -> new LinkedHashMap<>()).put(size, flops(trainFlops, hm, peak));
                }
            }
            o.put("djl_peak_rss_bytes", djl.stream().mapToLong(j -> j.get("peak_rss_bytes").asLong()).max().orElse(-1));
            o.put("pytorch_peak_rss_bytes", hf.stream().mapToLong(j -> j.get("peak_rss_bytes").asLong()).max().orElse(-1));
            o.set("djl_single_step_call_seconds", djl.get(0).get("train").get("single_step_call_seconds"));
            if (profile) {
                o.set("djl_train_profile", djl.get(repeats - 1).get("train_profile"));
                o.set("pytorch_train_profile", hf.get(repeats - 1).get("train_profile"));
            }
            o.set("pytorch_versions", hf.get(0).get("versions"));
            logger.info("{}: train ratio {}, forward {}, generate {}", size, o.get("train").get("ratio_djl_over_pytorch"),
                    o.get("forward").get("ratio_djl_over_pytorch"), o.get("generate").get("ratio_djl_over_pytorch"));
        }
        Path json = options.out().resolve("pytorch.json");
        BenchResults.finish(root, json);
        Charts.boxPlot(options.out().resolve("pytorch-train.png"), "LoRA training step, tokens/s (B=" + batch + ", T="
                + seq + ", fp32, " + options.threads() + " threads)", "model", "tokens/s", trainBox);
        Charts.bars(options.out().resolve("pytorch-ratio.png"), "fedbiot-djl / PyTorch eager (tokens/s ratio; 1 = parity)",
                "model", "ratio", ratioBars);
        Charts.bars(options.out().resolve("pytorch-efficiency.png"), "Training step matmul FLOP/s as a fraction of the"
                + " measured matmul peak (" + String.format("%.0f", peak) + " GFLOP/s)", "model", "fraction of peak", effBars);
        System.out.println("pytorch comparison -> " + json);
        return 0;
    }

    private static double flops(double f, double seconds, double peak) {
        return f / seconds / 1e9 / peak;
    }

    private static List<Double> samples(List<JsonNode> runs, String mode) {
        List<Double> out = new ArrayList<>();
        for (JsonNode r : runs) {
            r.get(mode).get("samples_s").forEach(x -> out.add(x.asDouble()));
        }
        return out;
    }

    private double measurePeak(Path work) throws IOException {
        Path dir = work.resolve("matmul");
        ChildJvm.run(heap, work.resolve("matmul.log"), 900, List.of("bench", "matmul", "--sizes", "1024,2048",
                "--repeats", "10", "--threads", Integer.toString(options.threads()), "--out", dir.toString()));
        return BenchResults.JSON.readTree(dir.resolve("matmul.json").toFile()).get("peak_gflops").asDouble();
    }

    private JsonNode runDjl(String size, Path result, Path work, boolean prof) throws IOException {
        logger.info("pytorch bench: fedbiot-djl {}", size);
        List<String> args = new ArrayList<>(List.of("bench", "pytorch-djl-worker",
                "--size", size, "--batch", Integer.toString(batch), "--seq", Integer.toString(seq), "--warmup",
                Integer.toString(warmup), "--groups", Integer.toString(groups), "--group-steps",
                Integer.toString(groupSteps), "--gen-new", Integer.toString(genNew), "--threads",
                Integer.toString(options.threads()), "--seed", Long.toString(options.seed()), "--result",
                result.toString()));
        if (prof) {
            args.add("--profile");
        }
        ChildJvm.run(heap, work.resolve(result.getFileName() + ".log"), 1800, args);
        return BenchResults.JSON.readTree(result.toFile());
    }

    private JsonNode runHf(String py, String size, ModelSpec s, Path result, Path work, boolean prof)
            throws IOException {
        logger.info("pytorch bench: transformers+PEFT {}", size);
        List<String> cmd = new ArrayList<>(List.of(py, script.toString(), "--name", size, "--vocab",
                Integer.toString(s.vocabSize()), "--hidden", Integer.toString(s.hiddenSize()), "--layers",
                Integer.toString(s.numLayers()), "--heads", Integer.toString(s.numHeads()), "--kv-heads",
                Integer.toString(s.numKvHeads()), "--intermediate", Integer.toString(s.intermediateSize()),
                "--max-positions", Integer.toString(s.maxPositions()), "--batch", Integer.toString(batch), "--seq",
                Integer.toString(seq), "--warmup", Integer.toString(warmup), "--groups", Integer.toString(groups),
                "--group-steps", Integer.toString(groupSteps), "--gen-new", Integer.toString(genNew), "--threads",
                Integer.toString(options.threads()), "--seed", Long.toString(options.seed()), "--out",
                result.toString()));
        if (s.tieWordEmbeddings()) {
            cmd.add("--tie");
        }
        if (prof) {
            cmd.add("--profile");
        }
        Path log = work.resolve(result.getFileName() + ".log");
        Files.createDirectories(work);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(1800, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FedbiotException("PyTorch benchmark timed out (log: " + log + ")");
            }
            if (p.exitValue() != 0) {
                throw new FedbiotException("PyTorch benchmark failed with exit code " + p.exitValue() + " (log: " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedbiotException("interrupted", e);
        }
        return BenchResults.JSON.readTree(result.toFile());
    }

    private String pythonExecutable() {
        if (python != null) {
            return python;
        }
        String env = System.getenv("FEDBIOT_HF_PYTHON");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            Process p = new ProcessBuilder("tools/python-venv.sh", "hf", "python/requirements-hf.txt")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String venv = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || venv.isEmpty()) {
                throw new FedbiotException("tools/python-venv.sh hf failed; pass --python");
            }
            return venv + "/bin/python";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run tools/python-venv.sh (run from the repository root or pass --python)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedbiotException("interrupted", e);
        }
    }
}
