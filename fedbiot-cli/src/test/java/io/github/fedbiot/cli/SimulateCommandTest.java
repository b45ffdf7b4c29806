/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.runtime.RunFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    private record Result(int code, String out, String err) {}

    private static Result simulate(String... args) {
        CommandLine cl = FedbiotCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runsFromAConfigFileAndWritesEveryOutput(@TempDir Path dir) throws Exception {
        Path model = TinyFederation.saveModel(dir.resolve("model"));
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, TinyFederation.yaml(model, "fedbiot", 2));
        Path out = dir.resolve("out");
        Result r = simulate("--config", config.toString(), "--out", out.toString(), "--rounds", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("un-tuned").contains("AdapEmu").contains("AdapFu").contains("perplexity")
                .contains("exact match");
        for (String f : new String[] {"metrics.jsonl", "metrics.csv", "curves.png", "summary.json",
            "checkpoint.safetensors"}) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        assertThat(ImageIO.read(out.resolve("curves.png").toFile()).getWidth()).isEqualTo(900);
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(2);

        // running again into the same directory without --resume loses nothing: it is refused
        Map<String, byte[]> before = RunFiles.snapshot(out);
        Result again = simulate("--config", config.toString(), "--out", out.toString(), "--rounds", "1");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds an earlier run").contains("--overwrite")
                .doesNotContain("Exception");
        // resuming with a changed key names it
        Result other = simulate("--config", config.toString(), "--out", out.toString(), "--resume", "--seed", "9");
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains("another configuration").contains("seed (checkpoint: 5, now: 9)");
        // resuming a complete run changes nothing
        Result complete = simulate("--config", config.toString(), "--out", out.toString(), "--resume", "--rounds", "1");
        assertThat(complete.code()).isEqualTo(2);
        assertThat(complete.err()).contains("is already complete after round 1").contains("--rounds");
        // a deleted checkpoint with --resume is an error, not a restart over the earlier metrics
        Files.delete(out.resolve("checkpoint.safetensors"));
        before.remove("checkpoint.safetensors");
        Result missing = simulate("--config", config.toString(), "--out", out.toString(), "--resume", "--rounds", "1");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("simulate: nothing to resume in " + out).contains("--overwrite");
        assertThat(missing.err().lines()).hasSize(1);
        RunFiles.assertUnchanged(before, out);
        String earlier = Files.readString(out.resolve("summary.json"));
        // --overwrite starts afresh: a new run id everywhere
        Result fresh = simulate("--config", config.toString(), "--out", out.toString(), "--rounds", "1", "--overwrite");
        assertThat(fresh.code()).as(fresh.err()).isZero();
        String id = runId(Files.readString(out.resolve("summary.json")));
        assertThat(id).isNotEqualTo(runId(earlier));
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).allMatch(l -> l.contains("\"run_id\":\"" + id + "\""));
        Result both = simulate("--out", out.toString(), "--resume", "--overwrite");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--resume and --overwrite exclude each other");
    }

    @Test
    void aDirectoryInUseIsRefusedNamingTheHolder(@TempDir Path dir) throws Exception {
        Path model = TinyFederation.saveModel(dir.resolve("model"));
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, TinyFederation.yaml(model, "fedbiot", 1));
        Path out = Files.createDirectories(dir.resolve("out"));
        try (FileChannel ch = FileChannel.open(out.resolve(".fedbiot.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            ch.write(ByteBuffer.wrap("pid=4242\nhost=elsewhere\nstarted=2026-01-02T03:04:05Z\n"
                    .getBytes(StandardCharsets.UTF_8)));
            Result r = simulate("--config", config.toString(), "--out", out.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("simulate: output directory " + out + " is in use by pid 4242 on host "
                    + "elsewhere since 2026-01-02T03:04:05Z; wait for that run to end or choose another output "
                    + "directory (--out)" + System.lineSeparator());
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".fedbiot.lock");
        }
    }

    private static String runId(String summary) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary).get("run_id").asText();
    }

    @Test
    void badConfigurationNamesTheKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "client:\n  local_steps: -3\n");
        Result r = simulate("--config", config.toString(), "--model", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("client.local_steps").contains("-3");

        Files.writeString(config, "federation:\n  roundz: 3\n");
        Result unknown = simulate("--config", config.toString(), "--model", dir.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("federation.roundz").contains("unknown key");

        Result algo = simulate("--algorithm", "fedprox", "--model", dir.toString());
        assertThat(algo.code()).isEqualTo(2);
        assertThat(algo.err()).contains("algorithm").contains("fedprox");
    }

    @Test
    void missingModelIsReported(@TempDir Path dir) {
        Result r = simulate("--rounds", "1", "--model", dir.resolve("absent").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no model in").contains("absent");
    }

    @Test
    void withoutArgumentsTheEmbeddedDefaultIsUsed() {
        SimulateCommand c = new SimulateCommand();
        new CommandLine(c).parseArgs();
        var config = c.configuration();
        assertThat(Path.of(config.model().dir())).isEqualTo(DefaultModel.directory());
        assertThat(config.data().train()).isEqualTo(SimulateCommand.DEFAULT_TRAIN);
        // the embedded settings, not the library defaults: sized for minutes on a CPU
        assertThat(config.federation().rounds()).isEqualTo(5);
        assertThat(config.client().localSteps()).isEqualTo(20);
        assertThat(config.plan().dropRate()).isEqualTo(0.2);
    }

    @Test
    void defaultDataIsTheEmbeddedTask() {
        SimulateCommand c = new SimulateCommand();
        new CommandLine(c).parseArgs("--model", "m");
        var config = c.configuration();
        assertThat(config.data().train()).isEqualTo(SimulateCommand.DEFAULT_TRAIN);
        assertThat(config.data().test()).isEqualTo(SimulateCommand.DEFAULT_TEST);
        assertThat(config.data().publicData()).isEqualTo(SimulateCommand.DEFAULT_PUBLIC);
        assertThat(Path.of(config.model().dir())).isAbsolute();
    }
}
