/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.metrics.MetricsWriter;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * Writes and reads {@link RoundCheckpoint}s as one safetensors file: the LoRA tensors under the prefixes
 * {@code adapter/} and {@code emulator/}, and the rest as JSON in the header's metadata together with a CRC-32
 * of the tensor values. The file is replaced atomically (temporary file, fsync, rename), so an interrupted
 * write leaves the previous checkpoint intact; a damaged file is reported, never half-loaded.
 */
public final class CheckpointStore {
    /** The file name inside the output directory. */
    public static final String FILE_NAME = "checkpoint.safetensors";

    private static final String FORMAT = "fedbiot-checkpoint/1";
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
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("state", state.toString());
        meta.put("crc32", Long.toString(crc(all)));
        SafetensorsWriter.write(file, all, meta);
    }

    /**
     * Reads a checkpoint.
     *
     * @param file the file
     * @return the checkpoint
     * @throws CheckpointException naming the file and the problem if it is missing, damaged or not a checkpoint
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
        } catch (FedbiotException e) {
            throw new CheckpointException("checkpoint " + file + " is corrupt: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException("checkpoint " + file + " is not a fedbiot checkpoint (format "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        String crc = meta.get("crc32");
        if (crc == null || !crc.equals(Long.toString(crc(all)))) {
            throw new CheckpointException("checkpoint " + file + " is corrupt: the tensor checksum does not match");
        }
        try {
            JsonNode s = JSON.readTree(meta.get("state"));
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
                    s.required("public_position").asLong(), clients, seeds, records, config);
        } catch (CheckpointException e) {
            throw e;
        } catch (Exception e) {
            throw new CheckpointException("checkpoint " + file + " is corrupt: bad state record (" + e.getMessage()
                    + ")", e);
        }
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

    private static long crc(NamedTensors all) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[4096];
        for (var e : all.asMap().entrySet()) {
            crc.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Tensor t = e.getValue();
            float[] d = t.data();
            int n = 0;
            for (float f : d) {
                int bits = Float.floatToRawIntBits(f);
                buf[n++] = (byte) bits;
                buf[n++] = (byte) (bits >>> 8);
                buf[n++] = (byte) (bits >>> 16);
                buf[n++] = (byte) (bits >>> 24);
                if (n == buf.length) {
                    crc.update(buf, 0, n);
                    n = 0;
                }
            }
            crc.update(buf, 0, n);
        }
        return crc.getValue();
    }
}
