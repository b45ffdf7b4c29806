/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code fedbiot bench} without the benchmarks module on the class path (this module's tests never have it). */
class BenchCommandTest {

    private static String errorOf(String... args) {
        CommandLine fedbiot = FedbiotCommand.newCommandLine();
        StringWriter err = new StringWriter();
        fedbiot.setErr(new PrintWriter(err, true));
        assertThat(fedbiot.execute(args)).as("exit code of %s", String.join(" ", args)).isEqualTo(1);
        return err.toString();
    }

    @Test
    void saysHowToGetTheBenchmarks() {
        assertThat(errorOf("bench")).contains("fedbiot bench needs the benchmarks module: build it with "
                + "`mvn -B -DskipTests package -pl benchmarks -am`");
        assertThat(errorOf("bench", "matmul", "--sizes", "32")).contains("fedbiot bench needs the benchmarks module");
    }
}
