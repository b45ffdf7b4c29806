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
        return new RoundRecord(round, new Participation(3, 2, 1, 0, 0), new TrainingStats(20, 2.5, 0.001, 1),
                new AlignmentStats(10, 0.3, 0.02, 0), HeldOutScores.NONE, new HeldOutScores(1.25, 3.49, 0.5),
                new Traffic(8192, 2048), new RoundCost(0.75, 1000, 2000));
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
        MetricsWriter.write(dir, List.of(record(1), record(2)), "run-1");
        List<String> jsonl = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(jsonl).hasSize(2).allMatch(l -> l.startsWith("{\"run_id\":\"run-1\",\"round\":"));
        assertThat(MetricsWriter.fromJsonLine(jsonl.get(1))).isEqualTo(record(2));
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("round,clients_sampled,").contains("align_nl2").contains("rss_bytes");
        String[] cells = csv.get(2).split(",", -1);
        assertThat(cells).hasSize(MetricsWriter.columns().size());
        assertThat(cells[0]).isEqualTo("2");
        assertThat(cells[MetricsWriter.columns().indexOf("emu_loss")]).isEmpty();
        assertThat(Double.parseDouble(cells[MetricsWriter.columns().indexOf("fu_loss")])).isEqualTo(1.25);
    }

    /** The files' columns, order and number formats as the first release wrote them (docs and plots read them). */
    @Test
    void keepsTheColumnsAndFormatsOfTheFirstRelease() {
        assertThat(MetricsWriter.toJsonLine(record(2))).isEqualTo("{\"round\":2,\"clients_sampled\":3,\"clients_completed\":2,\"clients_dropped\":1,"
                + "\"clients_timed_out\":0,\"updates_rejected\":0,\"samples\":20,\"train_loss\":2.5,"
                + "\"train_proximal\":0.001,\"skipped_batches\":1,\"align_steps\":10,\"align_nl2\":0.3,"
                + "\"align_kl\":0.02,\"align_skipped_batches\":0,\"emu_loss\":null,\"emu_perplexity\":null,"
                + "\"emu_exact_match\":null,\"fu_loss\":1.25,\"fu_perplexity\":3.49,\"fu_exact_match\":0.5,"
                + "\"bytes_down_per_client\":8192,\"bytes_up_per_client\":2048,\"wall_seconds\":0.75,"
                + "\"heap_bytes\":1000,\"rss_bytes\":2000}");
        assertThat(MetricsWriter.toCsv(List.of(record(2)))).isEqualTo("round,clients_sampled,clients_completed,clients_dropped,clients_timed_out,"
                + "updates_rejected,samples,train_loss,train_proximal,skipped_batches,align_steps,"
                + "align_nl2,align_kl,align_skipped_batches,emu_loss,emu_perplexity,emu_exact_match,"
                + "fu_loss,fu_perplexity,fu_exact_match,bytes_down_per_client,bytes_up_per_client,"
                + "wall_seconds,heap_bytes,rss_bytes\n"
                + "2,3,2,1,0,0,20,2.50000,0.00100000,1,10,0.300000,0.0200000,0,,,,1.25000,3.49000,0.500000,"
                + "8192,2048,0.750000,1000,2000\n");
    }
}
