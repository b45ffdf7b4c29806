/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.cli.BenchSubcommand;
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
 * {@code fedbiot bench matmul}: the machine's measured fp32 matmul peak, the denominator of every efficiency
 * figure. It times {@code C = A B} of square {@code n x n} fp32 matrices on DJL's PyTorch engine (oneDNN/MKL
 * underneath) with the configured thread count and reports {@code 2 n^3 / t} per size; the peak is the best
 * per-size median.
 */
@Command(name = "matmul", mixinStandardHelpOptions = true,
        description = "Measures the fp32 matmul peak (GFLOP/s) of DJL's PyTorch engine on square matrices.")
public final class MatmulBench implements BenchSubcommand {
    private static final Logger logger = LoggerFactory.getLogger(MatmulBench.class);

    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--sizes", split = ",", defaultValue = "256,512,1024,2048",
            description = "Matrix sizes n (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(names = "--repeats", defaultValue = "15", description = "Timed repeats per size (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed repeats per size (default: ${DEFAULT-VALUE}).")
    private int warmup;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        options.applyThreads();
        ObjectNode root = BenchResults.start("matmul", "fedbiot bench matmul --sizes " + join(sizes) + " --repeats "
                + repeats + " --threads " + options.threads());
        Result r = measure(sizes, warmup, repeats, options.seed());
        root.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        root.put("threads", options.threads());
        ArrayNode arr = root.putArray("sizes");
        Map<String, Map<String, List<Double>>> plot = new LinkedHashMap<>();
        Map<String, List<Double>> byN = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Double>> e : r.gflops().entrySet()) {
            ObjectNode o = arr.addObject();
            o.put("n", e.getKey());
            BenchResults.putStats(o, "gflops", Stats.of(e.getValue()));
            BenchResults.putSamples(o, "gflops_samples", e.getValue());
            byN.put(Integer.toString(e.getKey()), e.getValue());
        }
        plot.put("fp32 matmul, " + options.threads() + " threads", byN);
        root.put("peak_gflops", r.peak());
        root.put("peak_n", r.peakN());
        Path json = options.out().resolve("matmul.json");
        BenchResults.finish(root, json);
        Charts.boxPlot(options.out().resolve("matmul.png"), "DJL PyTorch fp32 matmul (n x n)", "n", "GFLOP/s", plot);
        logger.info("matmul peak {} GFLOP/s (n = {}); wrote {}", String.format("%.1f", r.peak()), r.peakN(), json);
        System.out.printf("matmul peak: %.1f GFLOP/s at n=%d -> %s%n", r.peak(), r.peakN(), json);
        return 0;
    }

    /**
     * The measured rates.
     *
     * @param gflops samples (GFLOP/s) per size
     * @param peak the best per-size median
     * @param peakN the size of the best median
     */
    public record Result(Map<Integer, List<Double>> gflops, double peak, int peakN) {}

    /**
     * Measures matmul rates in this JVM.
     *
     * @param sizes the sizes n
     * @param warmup untimed repeats per size
     * @param repeats timed repeats per size
     * @param seed the seed of the random matrices
     * @return the rates
     */
    public static Result measure(List<Integer> sizes, int warmup, int repeats, long seed) {
        Engine engine = Engine.getInstance();
        engine.setRandomSeed((int) seed);
        Map<Integer, List<Double>> out = new LinkedHashMap<>();
        double peak = 0;
        int peakN = 0;
        try (NDManager m = engine.newBaseManager()) {
            for (int n : sizes) {
                List<Double> rates = new ArrayList<>();
                try (NDManager sm = m.newSubManager()) {
                    NDArray a = sm.randomNormal(new Shape(n, n));
                    NDArray b = sm.randomNormal(new Shape(n, n));
                    for (int i = 0; i < warmup + repeats; i++) {
                        long t0 = System.nanoTime();
                        NDArray c = a.matMul(b);
                        long dt = System.nanoTime() - t0;
                        c.close();
                        if (i >= warmup) {
                            rates.add(2.0 * n * n * n / dt);
                        }
                    }
                }
                out.put(n, rates);
                double med = Stats.of(rates).median();
                if (med > peak) {
                    peak = med;
                    peakN = n;
                }
            }
        }
        return new Result(out, peak, peakN);
    }

    private static String join(List<Integer> xs) {
        return String.join(",", xs.stream().map(String::valueOf).toList());
    }
}
