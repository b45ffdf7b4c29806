/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.config.Algorithm;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.RoundListener;
import io.github.fedbiot.runtime.RunDirectoryException;
import io.github.fedbiot.runtime.RunMode;
import io.github.fedbiot.runtime.SimulationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code fedbiot simulate}: runs FedBiOT or a baseline with all clients simulated in this process and writes
 * {@code metrics.jsonl}, {@code metrics.csv}, {@code curves.png}, {@code summary.json} and
 * {@code checkpoint.safetensors} to the output directory. Command-line options override the configuration
 * file. Exit code 0 on success, 1 when the run fails (bad data, corrupt or foreign checkpoint, changed input
 * files; the message says why), 2 for bad arguments or a bad configuration (the message names the key) and for
 * an output directory that refuses the run: in use by another run, holding an earlier run (without
 * {@code --resume} or {@code --overwrite}), nothing to resume, or a checkpoint past {@code --rounds}.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Simulate federated fine-tuning in one process with FedBiOT or a baseline.",
            "Algorithms: fedbiot (default), fedot, offsite, fedavg-full. Writes metrics.jsonl, metrics.csv,",
            "curves.png, summary.json and a checkpoint after every round; --resume continues an interrupted run,",
            "--overwrite replaces an earlier run in the output directory (one run at a time owns it).",
            "Every configuration key: docs/configuration.md."
        })
public final class SimulateCommand implements Callable<Integer> {
    /** The embedded default task's client data, used when neither the configuration nor the options name data. */
    static final String DEFAULT_TRAIN = "classpath:fedbiot/default-task/train.jsonl";
    /** The embedded default task's test data. */
    static final String DEFAULT_TEST = "classpath:fedbiot/default-task/test.jsonl";
    /** The embedded default task's public data. */
    static final String DEFAULT_PUBLIC = "classpath:fedbiot/default-task/public.jsonl";
    /** The settings used when no configuration file is given: sized to finish in minutes on a laptop CPU. */
    static final String DEFAULT_SETTINGS = "fedbiot/default-simulation.yaml";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (YAML or JSON)")
    private Path configFile;

    @Option(names = "--algorithm", paramLabel = "NAME", description = "fedbiot, fedot, offsite or fedavg-full")
    private String algorithm;

    @Option(names = "--model", paramLabel = "DIR", description = "Hugging Face model directory (overrides model.dir)")
    private Path model;

    @Option(names = "--data", paramLabel = "FILE", description = "clients' data, JSON or JSONL (overrides data.train)")
    private String train;

    @Option(names = "--test", paramLabel = "FILE", description = "held-out test data (overrides data.test)")
    private String test;

    @Option(names = "--public", paramLabel = "FILE", description = "server's public data (overrides data.public)")
    private String publicData;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "fedbiot-out",
            description = "output directory (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(names = "--resume", description = "continue from the checkpoint in the output directory")
    private boolean resume;

    @Option(names = "--overwrite", description = "start afresh, replacing an earlier run's checkpoint, metrics and "
            + "summary in the output directory")
    private boolean overwrite;

    @Option(names = "--rounds", paramLabel = "N", description = "number of rounds (overrides federation.rounds)")
    private Integer rounds;

    @Option(names = "--seed", paramLabel = "N", description = "root seed (overrides seed)")
    private Long seed;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (resume && overwrite) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume and --overwrite exclude each other");
        }
        // A bad configuration is a user error: UserErrors reports it (exit code 2).
        FedbiotConfig config = configuration();
        if (!Files.isRegularFile(Path.of(config.model().dir(), "config.json"))) {
            err.println("simulate: no model in " + config.model().dir() + (config.model().dir().equals(
                    DefaultModel.directory().toString()) ? DefaultModel.HOW_TO_PREPARE : ""));
            err.flush();
            return 2;
        }
        try {
            return run(config);
        } catch (ConfigException | RunDirectoryException e) {
            // user errors: UserErrors reports them with exit code 2
            throw e;
        } catch (FedbiotException e) {
            err.println("simulate: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * Builds the configuration: the file (or the defaults), then the command-line overrides, then the embedded
     * default task for data files that are still unnamed.
     *
     * @return the configuration
     */
    FedbiotConfig configuration() {
        FedbiotConfig c = configFile == null ? defaultSettings() : FedbiotConfigReader.read(configFile);
        if (algorithm != null) {
            c = c.withAlgorithm(Algorithm.parse(algorithm));
        }
        if (model != null) {
            c = c.withModelDir(model.toAbsolutePath().toString());
        } else if (c.model().dir().isEmpty()) {
            c = c.withModelDir(DefaultModel.directory().toString());
        }
        if (rounds != null) {
            ConfigException.require(rounds >= 1, "federation.rounds", rounds, "must be >= 1");
            c = c.withRounds(rounds);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        DataConfig d = c.data();
        String tr = train != null ? abs(train) : d.train();
        String te = test != null ? abs(test) : d.test();
        String pu = publicData != null ? abs(publicData) : d.publicData();
        if (tr.isEmpty()) {
            tr = DEFAULT_TRAIN;
            te = te.isEmpty() ? DEFAULT_TEST : te;
        }
        if (pu.isEmpty()) {
            pu = DEFAULT_PUBLIC;
        }
        return c.withData(d.toBuilder().optTrain(tr).optTest(te).optPublicData(pu).build());
    }

    /** Reads the embedded default settings (the configuration used when {@code --config} is not given). */
    static FedbiotConfig defaultSettings() {
        try (var in = SimulateCommand.class.getClassLoader().getResourceAsStream(DEFAULT_SETTINGS)) {
            if (in == null) {
                throw new FedbiotException("missing resource " + DEFAULT_SETTINGS);
            }
            return FedbiotConfigReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new FedbiotException("cannot read resource " + DEFAULT_SETTINGS + ": " + e.getMessage(), e);
        }
    }

    private static String abs(String p) {
        return p.startsWith("classpath:") ? p : Path.of(p).toAbsolutePath().toString();
    }

    private int run(FedbiotConfig config) {
        PrintWriter o = spec.commandLine().getOut();
        FederatedDataset data = FederatedDataset.load(config);
        TrainingEngine engine = Engines.getDefault();
        try (BaseModel m = engine.load(Path.of(config.model().dir()))) {
            FederatedSimulation sim = new FederatedSimulation(config, m, data, out);
            boolean terminal = SimulationProgress.isInteractiveTerminal();
            SimulationProgress progress = new SimulationProgress(System.err, terminal);
            sim.addListener(progress);
            String title = "fedbiot simulate: " + config.algorithm().id() + " (seed " + config.seed() + ")";
            sim.addListener(new RoundListener() {
                @Override
                public void onRoundEnd(RoundRecord r) {
                    // Redraw after every round, so that an interrupted run still has its curves.
                    CurvePlotter.write(out.resolve("curves.png"), sim.records(), title);
                }

                @Override
                public void onRunEnd(SimulationResult result) {
                    EvalScores untuned = result.finalScores().get(EvaluationTarget.UNTUNED);
                    CurvePlotter.write(out.resolve("curves.png"), result.records(), title,
                            untuned == null ? Double.NaN : untuned.loss());
                }
            });
            SimulationResult result = terminal ? runBelowTheBar(sim, progress) : sim.run(mode());
            o.println(SummaryTable.format(result));
            o.printf(Locale.ROOT, "outputs in %s: metrics.jsonl, metrics.csv, curves.png, %scheckpoint.safetensors%n",
                    out.toAbsolutePath(), result.completed() ? "summary.json, " : "");
            o.flush();
            return 0;
        }
    }

    private RunMode mode() {
        return resume ? RunMode.RESUME : overwrite ? RunMode.OVERWRITE : RunMode.FRESH;
    }

    /** Runs with standard error (where logging writes) passing through the bar, so log lines get lines. */
    private SimulationResult runBelowTheBar(FederatedSimulation sim, SimulationProgress progress) {
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(progress.logSink(stderr), true, StandardCharsets.UTF_8));
        try {
            return sim.run(mode());
        } finally {
            System.setErr(stderr);
        }
    }
}
