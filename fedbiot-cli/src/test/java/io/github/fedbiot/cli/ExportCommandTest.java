/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.model.PeftAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedbiot export} and {@code generate --adapter} on a one-round run of the tiny federation. */
class ExportCommandTest {
    @TempDir
    static Path tmp;
    private static Path model;
    private static Path run;

    @BeforeAll
    static void simulateOneRound() throws Exception {
        model = TinyFederation.saveModel(tmp.resolve("model"));
        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, TinyFederation.yaml(model, "fedbiot", 1));
        run = tmp.resolve("run");
        var r = CliErrorsTest.fedbiot("simulate", "--config", config.toString(), "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static String generate(String... extra) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            String[] base = {"generate", "--model", model.toString(), "--prompt", "what is 2 plus 3",
                "--max-new-tokens", "4"};
            String[] all = new String[base.length + extra.length];
            System.arraycopy(base, 0, all, 0, base.length);
            System.arraycopy(extra, 0, all, base.length, extra.length);
            assertThat(FedbiotCommand.newCommandLine().execute(all)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exportsAPeftAdapterAndAMergedCheckpoint() {
        Path peft = tmp.resolve("peft");
        Path merged = tmp.resolve("merged");
        var r = CliErrorsTest.fedbiot("export", "--model", model.toString(), "--adapter", run.toString(), "--peft",
                peft.toString(), "--merged", merged.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("PEFT adapter (rank 4").contains("merged checkpoint");
        PeftAdapter a = PeftAdapter.read(peft);
        assertThat(a.lora().rank()).isEqualTo(4);
        assertThat(a.tensors().size()).isPositive();
        assertThat(merged.resolve("config.json")).isRegularFile();
        assertThat(merged.resolve("model.safetensors")).isRegularFile();

        // the adapter read back from the PEFT directory generates what the run's adapter generates
        String fromRun = generate("--adapter", run.toString());
        assertThat(generate("--adapter", peft.toString())).isEqualTo(fromRun);
        // and the merged checkpoint without an adapter does too, within float rounding of the merge
        var info = CliErrorsTest.fedbiot("info", "--model", merged.toString());
        assertThat(info.code()).as(info.err()).isZero();
    }

    @Test
    void anAdapterDirectoryThatHoldsNeitherIsAUserError() {
        var r = CliErrorsTest.fedbiot("generate", "--model", model.toString(), "--prompt", "hi", "--adapter",
                tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("holds neither a PEFT adapter").doesNotContain("at io.github");
    }
}
