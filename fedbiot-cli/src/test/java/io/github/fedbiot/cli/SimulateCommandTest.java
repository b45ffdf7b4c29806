/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Result again = simulate("--config", config.toString(), "--out", out.toString(), "--rounds", "1");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a checkpoint");
        // resuming with a changed key names it
        Result other = simulate("--config", config.toString(), "--out", out.toString(), "--resume", "--seed", "9");
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains("another configuration").contains("seed (checkpoint: 5, now: 9)");
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
