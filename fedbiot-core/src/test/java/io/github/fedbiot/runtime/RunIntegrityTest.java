/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.fake.FakeFederation;
import io.github.fedbiot.fake.FakeModel;
import io.github.fedbiot.metrics.MetricsWriter;
import io.github.fedbiot.metrics.RoundRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per output directory, whole-checkpoint checks and resumes that never go back, on the fake model. */
class RunIntegrityTest {
    private static final long PID = ProcessHandle.current().pid();

    private static SimulationResult simulate(FedbiotConfig config, Path out, RunMode mode) {
        return new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config), out).run(mode);
    }

    /** Runs with a listener that sees every finished round (its checkpoint already on disk). */
    private static SimulationResult simulate(FedbiotConfig config, Path out, RunMode mode, Consumer<RoundRecord> l) {
        FederatedSimulation sim = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config), out);
        sim.addListener(new RoundListener() {
            @Override
            public void onRoundEnd(RoundRecord record) {
                l.accept(record);
            }
        });
        return sim.run(mode);
    }

    private static String summaryRunId(Path out) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("summary.json").toFile())
                .get("run_id").asText();
    }

    @Test
    void aSecondRunIntoTheDirectoryIsRefusedAtOnceNamingTheHolder(@TempDir Path out) throws Exception {
        FedbiotConfig config = FakeFederation.config("fedbiot", 2, "");
        CountDownLatch inRound = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<SimulationResult> first = ex.submit(() -> simulate(config, out, RunMode.FRESH, r -> {
                if (r.round() == 1) {
                    inRound.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            assertThat(inRound.await(60, TimeUnit.SECONDS)).isTrue();
            Map<String, byte[]> during = RunFiles.snapshot(out);
            for (RunMode mode : RunMode.values()) {
                assertThatThrownBy(() -> simulate(config.withSeed(8), out, mode)).as(mode.name())
                        .isInstanceOf(RunDirectoryException.class)
                        .hasMessageMatching("output directory .* is in use by pid " + PID + " on host \\S+ since "
                                + "\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z; wait for that run to end or choose another output "
                                + "directory \\(--out\\)");
            }
            RunFiles.assertUnchanged(during, out);
            release.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS).completed()).isTrue();
        } finally {
            release.countDown();
            ex.shutdownNow();
        }
        // every artefact names the one run that wrote the directory
        String id = CheckpointStore.read(out.resolve(CheckpointStore.FILE_NAME)).runId();
        assertThat(summaryRunId(out)).isEqualTo(id);
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(3)
                .allMatch(l -> l.startsWith("{\"run_id\":\"" + id + "\","));
        // the lock went with the run: the directory can be taken again
        SimulationResult again = simulate(config, out, RunMode.OVERWRITE);
        assertThat(again.completed()).isTrue();
        assertThat(summaryRunId(out)).isNotEqualTo(id)
                .isEqualTo(CheckpointStore.read(out.resolve(CheckpointStore.FILE_NAME)).runId());
    }

    @Test
    void aRunInAnotherProcessIsNamedAndItsDeathFreesTheDirectory(@TempDir Path out) throws Exception {
        FedbiotConfig config = FakeFederation.config("fedbiot", 1, "");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), out.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> simulate(config, out, RunMode.FRESH)).isInstanceOf(RunDirectoryException.class)
                    .hasMessageContaining("is in use by pid " + holder.pid() + " on host ");
            assertThat(RunFiles.snapshot(out)).isEmpty();
        } finally {
            holder.destroyForcibly(); // as kill -9: the operating system drops its lock
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(simulate(config, out, RunMode.FRESH).completed()).isTrue();
    }

    @Test
    void resumeWithoutACheckpointIsAnErrorNotARestart(@TempDir Path out) throws IOException {
        FedbiotConfig config = FakeFederation.config("fedbiot", 1, "");
        Path empty = out.resolve("empty");
        assertThatThrownBy(() -> simulate(config, empty, RunMode.RESUME)).isInstanceOf(RunDirectoryException.class)
                .hasMessage("nothing to resume in " + empty + ": no checkpoint " + empty.resolve(
                        CheckpointStore.FILE_NAME) + "; run without --resume to start from round 0");
        assertThat(RunFiles.snapshot(empty)).isEmpty();

        Path run = out.resolve("run");
        simulate(config, run, RunMode.FRESH);
        Path ckpt = run.resolve(CheckpointStore.FILE_NAME);
        Files.delete(ckpt);
        Map<String, byte[]> before = RunFiles.snapshot(run);
        assertThatThrownBy(() -> simulate(config, run, RunMode.RESUME)).isInstanceOf(RunDirectoryException.class)
                .hasMessageContaining("no checkpoint " + ckpt + "; the directory holds metrics.jsonl, metrics.csv, "
                        + "summary.json of an earlier run whose checkpoint is gone: start afresh with --overwrite");
        RunFiles.assertUnchanged(before, run);

        Files.createSymbolicLink(ckpt, run.resolve("moved.safetensors"));
        assertThatThrownBy(() -> simulate(config, run, RunMode.RESUME)).isInstanceOf(RunDirectoryException.class)
                .hasMessageContaining(ckpt + " is a symbolic link to " + run.resolve("moved.safetensors")
                        + ", which does not exist");
        assertThatThrownBy(() -> simulate(config, run, RunMode.FRESH)).isInstanceOf(RunDirectoryException.class)
                .hasMessage("output directory " + run + " already holds an earlier run (checkpoint.safetensors, "
                        + "metrics.jsonl, metrics.csv, summary.json); resume it (--resume), replace it (--overwrite) "
                        + "or choose another output directory (--out)");
        RunFiles.assertUnchanged(before, run);
        assertThat(Files.isSymbolicLink(ckpt)).isTrue();
    }

    @Test
    void aResumeNeverGoesBackAndARefusalLeavesEveryFileAsItWas(@TempDir Path out) throws IOException {
        FedbiotConfig config = FakeFederation.config("fedbiot", 2, "");
        simulate(config, out, RunMode.FRESH);
        String id = summaryRunId(out);
        Map<String, byte[]> before = RunFiles.snapshot(out);
        assertThatThrownBy(() -> simulate(config.withRounds(1), out, RunMode.RESUME))
                .isInstanceOf(RunDirectoryException.class)
                .hasMessageContaining("is after round 2, but this run is to end after round 1 (federation.rounds / "
                        + "--rounds): a resume never goes back");
        RunFiles.assertUnchanged(before, out);
        assertThatThrownBy(() -> simulate(config, out, RunMode.RESUME)).isInstanceOf(RunDirectoryException.class)
                .hasMessage("run " + id + " in " + out + " is already complete after round 2 (see summary.json); to "
                        + "go on, raise federation.rounds (--rounds)");
        RunFiles.assertUnchanged(before, out);

        SimulationResult longer = simulate(config.withRounds(3), out, RunMode.RESUME);
        assertThat(longer.records()).extracting(RoundRecord::round).containsExactly(0, 1, 2, 3);
        assertThat(summaryRunId(out)).isEqualTo(id);
    }

    @Test
    void aChangedDataFileIsRefusedNamingIt(@TempDir Path out) throws IOException {
        Path train = Files.writeString(out.resolve("train.jsonl"), "{\"instruction\":\"a\",\"output\":\"b\"}\n");
        FedbiotConfig base = FakeFederation.config("fedbiot", 2, "");
        FedbiotConfig config = base.withData(base.data().toBuilder().optTrain(train.toString()).build());
        Path run = out.resolve("run");
        FederatedSimulation first = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config), run);
        first.addListener(new RoundListener() {
            @Override
            public void onRoundEnd(RoundRecord record) {
                first.requestStop();
            }
        });
        assertThat(first.run(RunMode.FRESH).completed()).isFalse();
        Files.writeString(train, "{\"instruction\":\"a\",\"output\":\"c\"}\n");
        Map<String, byte[]> before = RunFiles.snapshot(run);
        assertThatThrownBy(() -> simulate(config, run, RunMode.RESUME)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("data.train file " + train + " changed since the run started (same size, but "
                        + "its SHA-256 differs)");
        RunFiles.assertUnchanged(before, run);
        Files.writeString(train, "{\"instruction\":\"a\",\"output\":\"b\"}\n");
        assertThat(simulate(config, run, RunMode.RESUME).completed()).isTrue();
    }

    @Test
    void aRunThatDiesMidWayResumesToTheSameMetricsAndItsTemporaryFilesAreRemoved(@TempDir Path out)
            throws IOException {
        FedbiotConfig config = FakeFederation.config("fedbiot", 3, "  sample_count: 2");
        SimulationResult whole = simulate(config, out.resolve("whole"), RunMode.FRESH);

        Path split = out.resolve("split");
        Path stale = split.resolve(".checkpoint.safetensors.k1ll3d.tmp");
        assertThatThrownBy(() -> simulate(config, split, RunMode.FRESH, r -> {
            if (r.round() == 2) {
                // what a kill during the next write leaves: half a temporary file, and no more rounds
                try {
                    Files.write(stale, new byte[] {1, 2, 3});
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("killed");
            }
        })).hasMessage("killed");
        assertThat(stale).exists();
        assertThat(CheckpointStore.read(split.resolve(CheckpointStore.FILE_NAME)).round()).isEqualTo(2);

        SimulationResult resumed = simulate(config, split, RunMode.RESUME);
        assertThat(stale).doesNotExist();
        assertThat(resumed.adapterLora()).isEqualTo(whole.adapterLora());
        assertThat(resumed.emulatorLora()).isEqualTo(whole.emulatorLora());
        List<String> a = Files.readAllLines(out.resolve("whole").resolve("metrics.jsonl"));
        List<String> b = Files.readAllLines(split.resolve("metrics.jsonl"));
        assertThat(b).hasSameSizeAs(a).hasSize(4);
        for (int i = 0; i < a.size(); i++) {
            RoundRecord x = MetricsWriter.fromJsonLine(a.get(i));
            RoundRecord y = MetricsWriter.fromJsonLine(b.get(i));
            assertThat(List.of(y.clients(), y.training(), y.alignment(), y.emu(), y.fu(), y.traffic())).as("round %d", i)
                    .isEqualTo(List.of(x.clients(), x.training(), x.alignment(), x.emu(), x.fu(), x.traffic()));
        }
    }

    @Test
    void anOutputPathThatIsAFileIsReported(@TempDir Path out) throws IOException {
        Path file = Files.writeString(out.resolve("taken"), "not a directory");
        assertThatThrownBy(() -> simulate(FakeFederation.config("fedbiot", 1, ""), file, RunMode.FRESH))
                .isInstanceOf(io.github.fedbiot.FedbiotException.class)
                .hasMessage("cannot create output directory " + file + ": " + file + " exists and is not a directory");
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }
}
