/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** User errors end in one line on standard error and exit code 2, without a stack trace unless --debug. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result fedbiot(String... args) {
        CommandLine cl = FedbiotCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aMissingModelIsOneLineAndExitCode2ForEveryCommand() {
        String absent = tmp.resolve("absent").toString();
        String[][] commands = {
            {"info", "--model", absent},
            {"generate", "--model", absent, "--prompt", "hi"},
            {"simulate", "--model", absent, "--rounds", "1", "--out", tmp.resolve("out").toString()},
            {"export", "--model", absent, "--adapter", tmp.toString(), "--peft", tmp.resolve("p").toString()},
        };
        for (String[] c : commands) {
            Result r = fedbiot(c);
            assertThat(r.code()).as(String.join(" ", c)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", c)).contains("absent").doesNotContain("at io.github")
                    .doesNotContain("Exception");
            assertThat(r.err().strip().lines()).as(String.join(" ", c)).hasSize(1);
            assertThat(r.err()).startsWith(c[0] + ": ");
        }
    }

    @Test
    void debugAddsTheStackTrace() {
        Result r = fedbiot("info", "--debug", "--model", tmp.resolve("absent").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("absent").contains("at io.github");
    }

    @Test
    void badArgumentsAreOneLineWithAHint() {
        Result r = fedbiot("export", "--model", tmp.toString(), "--adapter", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("export: give --peft OUT, --merged OUT or both (see fedbiot export"
                + " --help)");

        Result unknown = fedbiot("info", "--model", "x", "--modle");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--modle").doesNotContain("at picocli");
    }

    @Test
    void everySummaryIsACompleteSentence() {
        CommandLine cl = FedbiotCommand.newCommandLine();
        cl.getSubcommands().forEach((name, sub) -> {
            String[] d = sub.getCommandSpec().usageMessage().description();
            if (d.length > 0) {
                assertThat(d[0]).as(name).endsWith(".");
            }
        });
    }
}
