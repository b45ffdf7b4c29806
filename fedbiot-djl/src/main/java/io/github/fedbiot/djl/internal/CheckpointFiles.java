/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.djl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.SafetensorsReader;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors weights of a Hugging Face model directory: {@code model.safetensors}, or the shards listed
 * by {@code model.safetensors.index.json}. Tensors are read on the heap by core's {@link SafetensorsReader}
 * (F32, F16 and BF16 converted to F32), never by DJL's decoder.
 */
public final class CheckpointFiles implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, SafetensorsReader> readers = new LinkedHashMap<>();
    private final Map<String, SafetensorsReader> byName = new LinkedHashMap<>();

    private CheckpointFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens the weights of a model directory.
     *
     * @param dir the model directory
     * @return the open files
     * @throws FedbiotException if neither a single file nor an index is present, or a file is malformed
     */
    public static CheckpointFiles open(Path dir) {
        CheckpointFiles files = new CheckpointFiles(dir);
        try {
            Path single = dir.resolve("model.safetensors");
            Path index = dir.resolve("model.safetensors.index.json");
            if (Files.isRegularFile(single)) {
                files.add(single);
            } else if (Files.isRegularFile(index)) {
                JsonNode map = JSON.readTree(Files.readString(index)).get("weight_map");
                if (map == null || !map.isObject()) {
                    throw new FedbiotException(index + ": missing object 'weight_map'");
                }
                Map<String, SafetensorsReader> shards = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String shard = e.getValue().asText();
                    if (shard.contains("/") || shard.contains("\\")) {
                        throw new FedbiotException(index + ": shard name '" + shard + "' must be a plain file name");
                    }
                    SafetensorsReader r = shards.computeIfAbsent(shard, s -> files.add(dir.resolve(s)));
                    files.byName.put(e.getKey(), r);
                }
            } else {
                throw new FedbiotException("no weights in " + dir
                        + ": expected model.safetensors or model.safetensors.index.json");
            }
            return files;
        } catch (IOException e) {
            files.close();
            throw new FedbiotException("cannot read weights index in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    private SafetensorsReader add(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FedbiotException("missing weights file " + file);
        }
        SafetensorsReader r = SafetensorsReader.open(file);
        readers.put(file.getFileName().toString(), r);
        for (String name : r.names()) {
            byName.putIfAbsent(name, r);
        }
        return r;
    }

    /**
     * Returns whether a tensor is present.
     *
     * @param name the tensor name
     * @return true if some file holds it
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * Reads a tensor as F32 on the heap.
     *
     * @param name the tensor name
     * @return the tensor
     * @throws FedbiotException if no file holds it
     */
    public Tensor read(String name) {
        SafetensorsReader r = byName.get(name);
        if (r == null) {
            throw new FedbiotException("weights in " + dir + " have no tensor '" + name + "'");
        }
        return r.read(name);
    }

    @Override
    public void close() {
        for (SafetensorsReader r : readers.values()) {
            r.close();
        }
        readers.clear();
    }
}
