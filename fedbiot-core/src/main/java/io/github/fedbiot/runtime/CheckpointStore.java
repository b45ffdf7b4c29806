/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.metrics.MetricsWriter;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes and reads {@link RoundCheckpoint}s as one safetensors file: the LoRA tensors under the prefixes
 * {@code adapter/} and {@code emulator/}, and the rest (round, data positions, seeds, metrics, configuration, run
 * id, the identity of the inputs, and the format version) as a JSON state record in the header's metadata.
 *
 * <p>A SHA-256 in the metadata covers the whole checkpoint: every other metadata entry (the state record among
 * them) and every tensor's name, shape and values. Any change after writing, a single flipped byte included, is
 * reported as corruption, never loaded and never taken for another configuration. The file is replaced
 * atomically (temporary file, fsync, rename), so an interrupted write leaves the previous checkpoint intact.
 *
 * <p>The format is versioned ({@value #FORMAT}); a checkpoint of an older format is refused with a message
 * saying so.
 */
public final class CheckpointStore {
    /** The file name inside the output directory. */
    public static final String FILE_NAME = "checkpoint.safetensors";

    private static final String FORMAT = "fedbiot-checkpoint/2";
    private static final int FORMAT_VERSION = 2;
    /** The format before the state record and the inputs were covered by a digest. */
    private static final String FORMAT_1 = "fedbiot-checkpoint/1";
    private static final String DIGEST_KEY = "sha256";
    private static final String ADAPTER = "adapter/";
    private static final String EMULATOR = "emulator/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointStore() {}

    /**
     * Writes a checkpoint atomically.
     *
     * @param file the target file
     * @param c the checkpoint
     */
    public static void write(Path file, RoundCheckpoint c) {
        NamedTensors.Builder b = NamedTensors.builder();
        c.adapterLora().asMap().forEach((k, v) -> b.add(ADAPTER + k, v));
        c.emulatorLora().asMap().forEach((k, v) -> b.add(EMULATOR + k, v));
        NamedTensors all = b.build();
        ObjectNode state = JSON.createObjectNode();
        state.put("format_version", FORMAT_VERSION);
        state.put("run_id", c.runId());
        state.put("round", c.round());
        state.put("public_position", c.publicPosition());
        ObjectNode clients = state.putObject("client_positions");
        new TreeMap<>(c.clientPositions()).forEach(clients::put);
        ObjectNode seeds = state.putObject("seeds");
        new TreeMap<>(c.seeds()).forEach(seeds::put);
        var records = state.putArray("records");
        for (RoundRecord r : c.records()) {
            records.add(MetricsWriter.toJsonLine(r));
        }
        ObjectNode config = state.putObject("config");
        new TreeMap<>(c.config()).forEach(config::put);
        state.set("inputs", c.inputs().toJson());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("state", state.toString());
        meta.put(DIGEST_KEY, digest(meta, all));
        SafetensorsWriter.write(file, all, meta);
    }

    /**
     * Reads a checkpoint and checks it whole.
     *
     * @param file the file
     * @return the checkpoint
     * @throws CheckpointException naming the file and the problem if it is missing, damaged or changed, of an
     *     older format, or not a checkpoint
     */
    public static RoundCheckpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("no checkpoint at " + file);
        }
        NamedTensors all;
        Map<String, String> meta;
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            meta = r.metadata();
            all = r.readAll();
        } catch (RuntimeException e) {
            throw new CheckpointException("checkpoint " + file + " is corrupt: " + e.getMessage(), e);
        }
        String format = meta.get("format");
        String digest = meta.get(DIGEST_KEY);
        if (digest == null) {
            if (FORMAT_1.equals(format)) {
                throw new CheckpointException("checkpoint " + file + " has the format " + FORMAT_1 + " of an older "
                        + "fedbiot, which this version does not resume (it reads " + FORMAT + ", whose checksum "
                        + "also covers the state record and the inputs); start the run again in another output "
                        + "directory, or with --overwrite");
            }
            throw new CheckpointException(format == null && !meta.containsKey("state")
                    ? "checkpoint " + file + " is not a fedbiot checkpoint (a safetensors file without fedbiot's "
                            + "metadata)"
                    : "checkpoint " + file + " is corrupt: it has no " + DIGEST_KEY + " entry");
        }
        if (!digest.equals(digest(meta, all))) {
            throw new CheckpointException("checkpoint " + file + " is corrupt: its SHA-256 does not match its "
                    + "content (it was changed or damaged after it was written)");
        }
        if (!FORMAT.equals(format)) {
            throw new CheckpointException("checkpoint " + file + " has the format " + format + ", which this "
                    + "fedbiot does not read (it reads " + FORMAT + ")");
        }
        try {
            return parse(JSON.readTree(meta.get("state")), all, file);
        } catch (CheckpointException e) {
            throw e;
        } catch (Exception e) {
            throw new CheckpointException("checkpoint " + file + " is corrupt: bad state record (" + e.getMessage()
                    + ")", e);
        }
    }

    private static RoundCheckpoint parse(JsonNode s, NamedTensors all, Path file) {
        if (s.required("format_version").asInt() != FORMAT_VERSION) {
            throw new CheckpointException("checkpoint " + file + " is corrupt: its state record has format version "
                    + s.get("format_version") + " in a " + FORMAT + " file");
        }
        Map<String, Long> clients = new TreeMap<>();
        s.required("client_positions").properties().forEach(e -> clients.put(e.getKey(), e.getValue().asLong()));
        Map<String, Long> seeds = new TreeMap<>();
        s.required("seeds").properties().forEach(e -> seeds.put(e.getKey(), e.getValue().asLong()));
        List<RoundRecord> records = new ArrayList<>();
        for (JsonNode line : s.required("records")) {
            records.add(MetricsWriter.fromJsonLine(line.asText()));
        }
        Map<String, String> config = new TreeMap<>();
        s.required("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        NamedTensors adapter = strip(all, ADAPTER);
        NamedTensors emulator = strip(all, EMULATOR);
        if (adapter.size() + emulator.size() != all.size()) {
            throw new CheckpointException("checkpoint " + file + " holds tensors outside adapter/ and emulator/");
        }
        return new RoundCheckpoint(s.required("round").asInt(), adapter, emulator,
                s.required("public_position").asLong(), clients, seeds, records, config,
                s.required("run_id").asText(), RunInputs.fromJson(s.required("inputs")));
    }

    /**
     * Refuses a checkpoint written under another configuration, naming every key that differs.
     *
     * @param c the checkpoint
     * @param current the flattened current configuration (as {@link RoundCheckpoint#config()})
     * @param file the checkpoint file, for the message
     * @throws CheckpointException listing {@code key: checkpoint value -> current value} for each difference
     */
    public static void requireSameConfig(RoundCheckpoint c, Map<String, String> current, Path file) {
        Set<String> keys = new TreeSet<>(c.config().keySet());
        keys.addAll(current.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            String a = c.config().get(k);
            String b = current.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                diffs.add(k + " (checkpoint: " + a + ", now: " + b + ")");
            }
        }
        if (!diffs.isEmpty()) {
            throw new CheckpointException("checkpoint " + file + " was written by another configuration; "
                    + "differing keys: " + String.join(", ", diffs));
        }
    }

    private static NamedTensors strip(NamedTensors all, String prefix) {
        NamedTensors.Builder b = NamedTensors.builder();
        all.asMap().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                b.add(k.substring(prefix.length()), v);
            }
        });
        return b.build();
    }

    /**
     * Returns the hex SHA-256 of every metadata entry but the digest (by key) and every tensor (by name): each
     * string as its UTF-8 length and bytes, each shape as its rank and sizes, each value as its float32 bits.
     */
    private static String digest(Map<String, String> meta, NamedTensors all) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (var e : new TreeMap<>(meta).entrySet()) {
            if (!e.getKey().equals(DIGEST_KEY)) {
                putString(md, buf, e.getKey());
                putString(md, buf, e.getValue());
            }
        }
        for (var e : new TreeMap<>(all.asMap()).entrySet()) {
            putString(md, buf, e.getKey());
            Tensor t = e.getValue();
            putInt(md, buf, t.shape().length);
            for (int d : t.shape()) {
                putInt(md, buf, d);
            }
            for (float f : t.data()) {
                if (buf.remaining() < Float.BYTES) {
                    flush(md, buf);
                }
                buf.putInt(Float.floatToRawIntBits(f));
            }
        }
        flush(md, buf);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void putString(MessageDigest md, ByteBuffer buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putInt(md, buf, b.length);
        flush(md, buf);
        md.update(b);
    }

    private static void putInt(MessageDigest md, ByteBuffer buf, int v) {
        if (buf.remaining() < Integer.BYTES) {
            flush(md, buf);
        }
        buf.putInt(v);
    }

    private static void flush(MessageDigest md, ByteBuffer buf) {
        md.update(buf.array(), 0, buf.position());
        buf.clear();
    }
}
