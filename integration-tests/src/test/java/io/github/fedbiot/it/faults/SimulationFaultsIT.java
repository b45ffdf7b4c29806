/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.cli.TinyFederation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection harness of {@code fedbiot simulate} (docs/reliability.md): a small FedBiOT run in its own
 * JVM is ended by {@code kill -9}, SIGTERM or SIGINT at seeded random moments, some of them while the checkpoint
 * is being written, and resumed; its metrics and test scores must equal those of the run nobody interrupted. The
 * disk filling up and a read-only output directory must fail with one clear line and lose nothing. Trials:
 * {@code -Dfaults.trials} (10 here; the {@code faults-long} profile runs more), seed {@code -Dfaults.seed}. The
 * figures go to {@code target/faults/simulation-faults.json}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulationFaultsIT {
    private static final int TRIALS = Integer.getInteger("faults.trials", 10);
    private static final long SEED = Long.getLong("faults.seed", 17);
    private static final long TIMEOUT_S = 300;
    /** Columns that measure the machine, not the run: they differ between any two runs. */
    private static final List<String> MACHINE_COLUMNS = List.of("wall_seconds", "heap_bytes", "rss_bytes");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectNode FIGURES = JSON.createObjectNode();

    @TempDir
    static Path work;

    private static Path config;
    private static Path reference;
    private static long referenceMillis;

    @BeforeAll
    static void runOnceUninterrupted() throws Exception {
        Path model = TinyFederation.saveModel(work.resolve("model"));
        config = work.resolve("run.yaml");
        Files.writeString(config, TinyFederation.yaml(model, "fedbiot", 4));
        reference = work.resolve("reference");
        long start = System.nanoTime();
        int code = FedbiotProcess.run(work.resolve("reference.log"), TIMEOUT_S, simulate(reference, false));
        referenceMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(code).as(Files.readString(work.resolve("reference.log"))).isZero();
        FIGURES.put("reference_run_ms", referenceMillis);
        FIGURES.put("seed", SEED);
    }

    @Test
    @Order(1)
    void interruptedRunsResumeToTheUninterruptedResult() throws Exception {
        Random random = new Random(SEED);
        ArrayNode trials = FIGURES.putArray("interruptions");
        int identical = 0;
        int duringWrite = 0;
        for (int i = 0; i < TRIALS; i++) {
            // Six in ten are kill -9 (two aimed at a checkpoint write, two at any moment from the start, before
            // the first checkpoint as likely as not), two SIGTERM, two SIGINT; all but the early ones come after
            // the first checkpoint, so that most trials resume from one.
            int kind = i % 10;
            String signal = kind < 6 ? "KILL" : kind < 8 ? "TERM" : "INT";
            boolean aimAtWrite = kind < 2;
            boolean fromStart = kind == 2 || kind == 3;
            Path out = work.resolve("trial-" + i);
            Files.createDirectories(out);
            double fraction = random.nextDouble();
            FedbiotProcess run = FedbiotProcess.start(work.resolve("trial-" + i + ".log"), simulate(out, false));
            if (!fromStart) {
                Interruption.awaitFile(run, out.resolve("checkpoint.safetensors"), referenceMillis * 3);
            }
            Interruption hit = aimAtWrite ? Interruption.atNextTempFile(run, out, signal, referenceMillis * 2)
                    : Interruption.after(run, signal, (long) (referenceMillis * (fromStart ? 0.1 + 0.8 * fraction
                            : 0.5 * fraction)));
            int firstExit = run.waitFor(TIMEOUT_S);
            boolean staleTemp = hasTempFile(out);
            duringWrite += staleTemp ? 1 : 0;

            boolean resumed = Files.exists(out.resolve("checkpoint.safetensors"));
            Path log = work.resolve("trial-" + i + "-resume.log");
            int code = FedbiotProcess.run(log, TIMEOUT_S, restart(out));
            // A signal after the last round's files were written leaves a complete run, which a resume refuses.
            boolean wasComplete = code == 2 && Files.readString(log).contains("is already complete");
            assertThat(code == 0 || wasComplete).as("trial %d resume: %s", i, Files.readString(log)).isTrue();
            boolean same = sameResult(reference, out);
            identical += same ? 1 : 0;

            ObjectNode t = trials.addObject();
            t.put("signal", signal);
            t.put("aimed_at_checkpoint_write", aimAtWrite);
            t.put("timed_from_start", fromStart);
            t.put("signal_sent_after_ms", hit.afterMillis());
            t.put("ended_before_signal", !hit.sent());
            t.put("first_exit_code", firstExit);
            t.put("temp_file_left", staleTemp);
            t.put("resumed_from_checkpoint", resumed);
            t.put("complete_before_signal", wasComplete);
            t.put("identical_to_uninterrupted", same);
            assertThat(same).as("trial %d (%s after %d ms): metrics and scores equal the uninterrupted run's",
                    i, signal, hit.afterMillis()).isTrue();
        }
        FIGURES.put("interruption_trials", TRIALS);
        FIGURES.put("interruptions_during_checkpoint_write", duringWrite);
        FIGURES.put("interruptions_resumed_identical", identical);
        writeFigures();
    }

    @Test
    @Order(2)
    void aFullDiskFailsClearlyAndTheRunResumesExactly() throws Exception {
        long size = directorySize(reference);
        try (ScratchMount disk = ScratchMount.tmpfs(work.resolve("small-disk"), Math.max(64 * 1024, size / 2), false)) {
            assumeTrue(disk.mounted(), "mounting a tmpfs needs root; skipped: " + disk.reason());
            Path out = disk.path().resolve("run");
            Path log = work.resolve("disk-full.log");
            int code = FedbiotProcess.run(log, TIMEOUT_S, simulate(out, false));
            String output = Files.readString(log);
            assertThat(code).as(output).isNotZero();
            assertThat(output).as("one clear line, no stack trace").doesNotContain("\tat ")
                    .containsIgnoringCase("no space left");
            // What it wrote before the disk filled must be a consistent state to resume from elsewhere.
            Path moved = work.resolve("disk-full-moved");
            copyTree(out, moved);
            Path resumeLog = work.resolve("disk-full-resume.log");
            int resume = FedbiotProcess.run(resumeLog, TIMEOUT_S, restart(moved));
            assertThat(resume).as(Files.readString(resumeLog)).isZero();
            assertThat(sameResult(reference, moved)).isTrue();
            FIGURES.put("disk_full_exit_code", code);
            FIGURES.put("disk_full_message", output.lines().filter(l -> l.toLowerCase().contains("space"))
                    .findFirst().orElse(""));
            FIGURES.put("disk_full_resumed_identical", true);
        }
        writeFigures();
    }

    @Test
    @Order(3)
    void aReadOnlyOutputDirectoryFailsWithOneLine() throws Exception {
        try (ScratchMount ro = ScratchMount.tmpfs(work.resolve("read-only"), 1024 * 1024, true)) {
            assumeTrue(ro.mounted(), "mounting a tmpfs needs root; skipped: " + ro.reason());
            Path log = work.resolve("read-only.log");
            int code = FedbiotProcess.run(log, TIMEOUT_S, simulate(ro.path().resolve("run"), false));
            String output = Files.readString(log);
            assertThat(code).as(output).isNotZero();
            assertThat(output).doesNotContain("\tat ").containsIgnoringCase("read-only");
            FIGURES.put("read_only_exit_code", code);
        }
        writeFigures();
    }

    @Test
    @Order(4)
    void ofTwoRunsStartedTogetherIntoOneDirectoryOneIsRefusedAndTheOtherCompletes() throws Exception {
        ArrayNode pairs = FIGURES.putArray("concurrent_pairs");
        for (int i = 0; i < 2; i++) {
            Path out = work.resolve("shared-" + i);
            FedbiotProcess a = FedbiotProcess.start(work.resolve("shared-" + i + "-a.log"), simulate(out, false));
            FedbiotProcess b = FedbiotProcess.start(work.resolve("shared-" + i + "-b.log"), simulate(out, false));
            int codeA = a.waitFor(TIMEOUT_S);
            int codeB = b.waitFor(TIMEOUT_S);
            String refused = codeA == 0 ? b.output() : a.output();
            assertThat(List.of(codeA, codeB)).as("one completes, one is refused as a user error")
                    .containsExactlyInAnyOrder(0, 2);
            assertThat(refused).contains("in use by pid").doesNotContain("\tat ");
            assertThat(sameResult(reference, out)).as("the directory holds the completed run alone").isTrue();
            pairs.addObject().put("exit_codes", codeA + "," + codeB).put("refusal",
                    refused.lines().filter(l -> l.contains("in use by")).findFirst().orElse(""));
        }
        writeFigures();
    }

    static String[] simulate(Path out, boolean resume) {
        return simulate(out, resume ? "--resume" : null);
    }

    /** The resume of an interrupted run: from its checkpoint, or afresh (over what it left) when it wrote none. */
    static String[] restart(Path out) {
        return simulate(out, Files.exists(out.resolve("checkpoint.safetensors")) ? "--resume" : "--overwrite");
    }

    private static String[] simulate(Path out, String mode) {
        List<String> args = new ArrayList<>(List.of("simulate", "--config", config.toString(), "--out",
                out.toString()));
        if (mode != null) {
            args.add(mode);
        }
        return args.toArray(String[]::new);
    }

    /** Whether two run directories hold the same metrics (less the machine columns) and the same test scores. */
    static boolean sameResult(Path expected, Path actual) throws IOException {
        return metrics(expected).equals(metrics(actual))
                && summaryScores(expected).equals(summaryScores(actual));
    }

    private static List<JsonNode> metrics(Path dir) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            ObjectNode row = (ObjectNode) JSON.readTree(line);
            MACHINE_COLUMNS.forEach(row::remove);
            row.remove("run_id");
            rows.add(row);
        }
        return rows;
    }

    private static JsonNode summaryScores(Path dir) throws IOException {
        return JSON.readTree(dir.resolve("summary.json").toFile()).path("test");
    }

    private static boolean hasTempFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    private static void writeFigures() throws IOException {
        Path file = Path.of("target", "faults", "simulation-faults.json");
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), FIGURES);
    }
}
