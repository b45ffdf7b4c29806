/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWriterTest {

    private static RoundRecord record(int round) {
        return new RoundRecord(round, 3, 2, 1, 0, 0, 20, 2.5, 0.001, 1, 10, 0.3, 0.02, 0, Double.NaN, Double.NaN,
                Double.NaN, 1.25, 3.49, 0.5, 8192, 2048, 0.75, 1000, 2000);
    }

    @Test
    void jsonLinesRoundTripWithNullForUnmeasured() {
        String line = MetricsWriter.toJsonLine(record(2));
        assertThat(line).contains("\"round\":2").contains("\"emu_loss\":null").contains("\"bytes_down_per_client\":8192")
                .doesNotContain("\n");
        assertThat(MetricsWriter.fromJsonLine(line)).isEqualTo(record(2));
    }

    @Test
    void writesJsonlAndCsv(@TempDir Path dir) throws Exception {
        MetricsWriter.write(dir, List.of(record(1), record(2)));
        List<String> jsonl = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(jsonl).hasSize(2);
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("round,clients_sampled,").contains("align_nl2").contains("rss_bytes");
        String[] cells = csv.get(2).split(",", -1);
        assertThat(cells).hasSize(MetricsWriter.columns().size());
        assertThat(cells[0]).isEqualTo("2");
        assertThat(cells[MetricsWriter.columns().indexOf("emu_loss")]).isEmpty();
        assertThat(Double.parseDouble(cells[MetricsWriter.columns().indexOf("fu_loss")])).isEqualTo(1.25);
    }
}
