/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The columns of the metrics files, in file order, and how a {@link RoundRecord} is read back from them. The
 * names and order are a published format (docs, plots and tests read them): add columns at the end only.
 */
final class RoundColumns {

    /**
     * One column.
     *
     * @param name the snake-case name
     * @param value the record's value: an {@code Integer}, a {@code Long} or a {@code Double}
     */
    record Column(String name, Function<RoundRecord, Number> value) {}

    static final List<Column> ALL = List.of(
            new Column("round", RoundRecord::round),
            new Column("clients_sampled", r -> r.clients().sampled()),
            new Column("clients_completed", r -> r.clients().completed()),
            new Column("clients_dropped", r -> r.clients().dropped()),
            new Column("clients_timed_out", r -> r.clients().timedOut()),
            new Column("updates_rejected", r -> r.clients().rejected()),
            new Column("samples", r -> r.training().samples()),
            new Column("train_loss", r -> r.training().loss()),
            new Column("train_proximal", r -> r.training().proximal()),
            new Column("skipped_batches", r -> r.training().skippedBatches()),
            new Column("align_steps", r -> r.alignment().steps()),
            new Column("align_nl2", r -> r.alignment().nl2()),
            new Column("align_kl", r -> r.alignment().kl()),
            new Column("align_skipped_batches", r -> r.alignment().skippedBatches()),
            new Column("emu_loss", r -> r.emu().loss()),
            new Column("emu_perplexity", r -> r.emu().perplexity()),
            new Column("emu_exact_match", r -> r.emu().exactMatch()),
            new Column("fu_loss", r -> r.fu().loss()),
            new Column("fu_perplexity", r -> r.fu().perplexity()),
            new Column("fu_exact_match", r -> r.fu().exactMatch()),
            new Column("bytes_down_per_client", r -> r.traffic().downPerClient()),
            new Column("bytes_up_per_client", r -> r.traffic().upPerClient()),
            new Column("wall_seconds", r -> r.cost().wallSeconds()),
            new Column("heap_bytes", r -> r.cost().heapBytes()),
            new Column("rss_bytes", r -> r.cost().rssBytes()),
            new Column("dp_epsilon", r -> r.privacy().epsilon()),
            new Column("dp_clipping_norm", r -> r.privacy().clippingNorm()),
            new Column("dp_noise_stddev", r -> r.privacy().noiseStddev()),
            new Column("dp_clipped_updates", r -> r.privacy().clippedUpdates()),
            new Column("dp_next_clipping_norm", r -> r.privacy().nextClippingNorm()));

    private RoundColumns() {}

    /**
     * Builds a record from column values.
     *
     * @param whole a column's whole-number value (0 when absent)
     * @param real a column's real value (NaN when absent or null)
     * @return the record
     */
    static RoundRecord read(ToLongFunction<String> whole, ToDoubleFunction<String> real) {
        ToIntOf i = name -> Math.toIntExact(whole.applyAsLong(name));
        return new RoundRecord(i.of("round"),
                new Participation(i.of("clients_sampled"), i.of("clients_completed"), i.of("clients_dropped"),
                        i.of("clients_timed_out"), i.of("updates_rejected")),
                new TrainingStats(whole.applyAsLong("samples"), real.applyAsDouble("train_loss"),
                        real.applyAsDouble("train_proximal"), i.of("skipped_batches")),
                new AlignmentStats(i.of("align_steps"), real.applyAsDouble("align_nl2"),
                        real.applyAsDouble("align_kl"), i.of("align_skipped_batches")),
                new HeldOutScores(real.applyAsDouble("emu_loss"), real.applyAsDouble("emu_perplexity"),
                        real.applyAsDouble("emu_exact_match")),
                new HeldOutScores(real.applyAsDouble("fu_loss"), real.applyAsDouble("fu_perplexity"),
                        real.applyAsDouble("fu_exact_match")),
                new Traffic(whole.applyAsLong("bytes_down_per_client"), whole.applyAsLong("bytes_up_per_client")),
                new RoundCost(real.applyAsDouble("wall_seconds"), whole.applyAsLong("heap_bytes"),
                        whole.applyAsLong("rss_bytes")),
                new PrivacyStats(real.applyAsDouble("dp_epsilon"), real.applyAsDouble("dp_clipping_norm"),
                        real.applyAsDouble("dp_noise_stddev"), i.of("dp_clipped_updates"),
                        real.applyAsDouble("dp_next_clipping_norm")));
    }

    /** Reads an int column. */
    @FunctionalInterface
    private interface ToIntOf {
        int of(String name);
    }
}
