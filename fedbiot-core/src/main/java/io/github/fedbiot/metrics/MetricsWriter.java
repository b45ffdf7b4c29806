/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the per-round records as JSON Lines ({@code metrics.jsonl}) and CSV ({@code metrics.csv}) with
 * snake-case column names. Both files are rewritten atomically from the full list after every round, so they
 * always agree with the checkpoint (also after a resume). In JSON a value not measured is {@code null}; in CSV
 * it is empty. Each JSON line written for a run starts with its {@code run_id}, so that lines of different runs
 * are never mistaken for one another.
 */
public final class MetricsWriter {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private MetricsWriter() {}

    /**
     * Writes both files into a directory.
     *
     * @param dir the output directory
     * @param records the records so far, in round order
     * @param runId the run's id, written into every JSON line as {@code run_id}
     */
    public static void write(Path dir, List<RoundRecord> records, String runId) {
        try {
            AtomicFile.write(dir.resolve("metrics.jsonl"), out -> {
                for (RoundRecord r : records) {
                    out.write(toJsonLine(r, runId).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            });
            AtomicFile.write(dir.resolve("metrics.csv"), out -> out.write(toCsv(records).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new FedbiotException("cannot write metrics to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns one record as a JSON object on one line, NaN values as {@code null}.
     *
     * @param r the record
     * @return the JSON text
     */
    public static String toJsonLine(RoundRecord r) {
        return toJsonLine(r, null);
    }

    /**
     * Returns one record as a JSON object on one line, NaN values as {@code null}, led by the run's id.
     *
     * @param r the record
     * @param runId the run's id ({@code run_id}), or null for none
     * @return the JSON text
     */
    public static String toJsonLine(RoundRecord r, String runId) {
        var node = JSON.createObjectNode();
        if (runId != null) {
            node.put("run_id", runId);
        }
        for (RoundColumns.Column c : RoundColumns.ALL) {
            Number v = c.value().apply(r);
            if (v instanceof Double d) {
                if (d.isNaN() || d.isInfinite()) {
                    node.putNull(c.name());
                } else {
                    node.put(c.name(), d);
                }
            } else if (v instanceof Long l) {
                node.put(c.name(), l);
            } else {
                node.put(c.name(), (Integer) v);
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a line written by {@link #toJsonLine} ({@code null} becomes NaN).
     *
     * @param line the JSON text
     * @return the record
     */
    public static RoundRecord fromJsonLine(String line) {
        try {
            var node = JSON.readTree(line);
            return RoundColumns.read(name -> {
                var v = node.get(name);
                return v == null ? 0L : v.asLong();
            }, name -> {
                var v = node.get(name);
                return v == null || v.isNull() ? Double.NaN : v.asDouble();
            });
        } catch (IOException | RuntimeException e) {
            throw new FedbiotException("malformed metrics record: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the records as CSV with a header row.
     *
     * @param records the records
     * @return the CSV text
     */
    public static String toCsv(List<RoundRecord> records) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns())).append('\n');
        for (RoundRecord r : records) {
            List<String> row = new ArrayList<>();
            for (RoundColumns.Column c : RoundColumns.ALL) {
                Number v = c.value().apply(r);
                if (v instanceof Double d) {
                    row.add(d.isNaN() || d.isInfinite() ? "" : String.format(Locale.ROOT, "%.6g", d));
                } else {
                    row.add(String.valueOf(v));
                }
            }
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    /** Returns the column names in order. @return snake-case names */
    public static List<String> columns() {
        return RoundColumns.ALL.stream().map(RoundColumns.Column::name).toList();
    }
}
