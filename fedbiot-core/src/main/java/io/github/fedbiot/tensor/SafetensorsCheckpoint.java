/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The weights of a Hugging Face model directory as one set of tensors, whether they are stored in a single
 * {@code model.safetensors} or sharded with a {@code model.safetensors.index.json} whose {@code weight_map}
 * maps each tensor name to its shard file.
 *
 * <p>Opening validates everything before any tensor is read: every shard exists inside the directory and is a
 * well-formed safetensors file, no tensor name appears in two shards, and the index lists exactly the tensors
 * that each shard holds. Like transformers, a directory holding both files is read from
 * {@code model.safetensors}. Reads are delegated to one {@link SafetensorsReader} per shard, so they may run
 * on several threads; {@link #close()} closes every shard.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    /** The file name of an unsharded checkpoint. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The file name of a sharded checkpoint's index. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path dir;
    private final List<Path> shards;
    private final List<SafetensorsReader> readers;
    private final Map<String, SafetensorsReader> byName;
    private final Map<String, Path> shardByName;

    private SafetensorsCheckpoint(Path dir, List<Path> shards, List<SafetensorsReader> readers,
            Map<String, SafetensorsReader> byName, Map<String, Path> shardByName) {
        this.dir = dir;
        this.shards = List.copyOf(shards);
        this.readers = List.copyOf(readers);
        this.byName = Collections.unmodifiableMap(byName);
        this.shardByName = Collections.unmodifiableMap(shardByName);
    }

    /**
     * Opens and validates the checkpoint in a model directory.
     *
     * @param dir the directory holding {@code model.safetensors} or {@code model.safetensors.index.json} and
     *     its shards
     * @return the checkpoint, to be closed by the caller
     * @throws FedbiotException if the directory holds neither file, or the index or a shard is missing,
     *     malformed or inconsistent; the message names the file and the tensor
     */
    public static SafetensorsCheckpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new FedbiotException("model directory " + dir + " does not exist or is not a directory");
        }
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsReader r = SafetensorsReader.open(single);
            Map<String, SafetensorsReader> byName = new LinkedHashMap<>();
            Map<String, Path> shardByName = new LinkedHashMap<>();
            for (String name : r.names()) {
                byName.put(name, r);
                shardByName.put(name, single);
            }
            return new SafetensorsCheckpoint(dir, List.of(single), List.of(r), byName, shardByName);
        }
        Path index = dir.resolve(INDEX_FILE);
        if (!Files.isRegularFile(index)) {
            throw new FedbiotException("model directory " + dir + " holds neither " + SINGLE_FILE + " nor "
                    + INDEX_FILE);
        }
        return openIndexed(dir, index);
    }

    private static SafetensorsCheckpoint openIndexed(Path dir, Path index) {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, Path> shardFiles = new LinkedHashMap<>(); // file name -> path, in order of first use
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            shardFiles.computeIfAbsent(e.getValue(), f -> shardPath(dir, index, e.getKey(), f));
        }
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            Map<String, SafetensorsReader> readerOf = new LinkedHashMap<>();
            Map<String, Path> seenIn = new LinkedHashMap<>();
            for (Map.Entry<String, Path> s : shardFiles.entrySet()) {
                SafetensorsReader r = SafetensorsReader.open(s.getValue());
                readers.add(r);
                readerOf.put(s.getKey(), r);
                for (String name : r.names()) {
                    Path other = seenIn.putIfAbsent(name, s.getValue());
                    if (other != null) {
                        throw new FedbiotException("sharded checkpoint " + dir + ": tensor '" + name + "' is in both "
                                + other.getFileName() + " and " + s.getValue().getFileName());
                    }
                    String listed = weightMap.get(name);
                    if (listed == null) {
                        throw new FedbiotException(index + ": shard " + s.getKey() + " holds tensor '" + name
                                + "', which the weight_map does not list");
                    }
                    if (!listed.equals(s.getKey())) {
                        throw new FedbiotException(index + ": weight_map puts tensor '" + name + "' in " + listed
                                + ", but it is in " + s.getKey());
                    }
                }
            }
            Map<String, SafetensorsReader> byName = new LinkedHashMap<>();
            Map<String, Path> shardByName = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsReader r = readerOf.get(e.getValue());
                if (!r.contains(e.getKey())) {
                    throw new FedbiotException(index + ": weight_map puts tensor '" + e.getKey() + "' in "
                            + e.getValue() + ", which has no such tensor");
                }
                byName.put(e.getKey(), r);
                shardByName.put(e.getKey(), shardFiles.get(e.getValue()));
            }
            return new SafetensorsCheckpoint(dir, new ArrayList<>(shardFiles.values()), readers, byName, shardByName);
        } catch (RuntimeException e) {
            readers.forEach(SafetensorsReader::close);
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path index) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(index));
        } catch (JsonProcessingException e) {
            throw new FedbiotException(index + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FedbiotException("cannot read " + index + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FedbiotException(index + ": expected a JSON object");
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new FedbiotException(index + ": 'weight_map' must be an object of tensor name -> shard file (found "
                    + map + ")");
        }
        if (map.isEmpty()) {
            throw new FedbiotException(index + ": 'weight_map' is empty");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual() || e.getValue().textValue().isEmpty()) {
                throw new FedbiotException(index + ": weight_map entry of tensor '" + e.getKey()
                        + "' must be a shard file name (found " + e.getValue() + ")");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** Resolves a shard file name, which must name a file inside the model directory. */
    private static Path shardPath(Path dir, Path index, String tensor, String file) {
        Path p;
        try {
            p = dir.resolve(file).normalize();
        } catch (InvalidPathException e) {
            throw new FedbiotException(index + ": shard '" + file + "' of tensor '" + tensor + "' is not a valid path");
        }
        if (Path.of(file).isAbsolute() || !p.startsWith(dir.normalize()) || p.equals(dir.normalize())) {
            throw new FedbiotException(index + ": shard '" + file + "' of tensor '" + tensor
                    + "' is outside the model directory");
        }
        if (!Files.isRegularFile(p)) {
            throw new FedbiotException(index + ": shard '" + file + "' of tensor '" + tensor + "' does not exist in "
                    + dir);
        }
        return p;
    }

    /** Returns the model directory. @return the directory */
    public Path directory() {
        return dir;
    }

    /** Returns the shard files in order (one for an unsharded checkpoint). @return the files */
    public List<Path> shards() {
        return shards;
    }

    /**
     * Returns every tensor name: in {@code weight_map} order for a sharded checkpoint, in data order otherwise.
     *
     * @return the names
     */
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * Returns whether a tensor exists.
     *
     * @param name the tensor name
     * @return true if present in some shard
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * Returns the shard file holding a tensor.
     *
     * @param name the tensor name
     * @return the shard file
     * @throws FedbiotException if there is no such tensor
     */
    public Path shardOf(String name) {
        reader(name);
        return shardByName.get(name);
    }

    /**
     * Returns a tensor's shape.
     *
     * @param name the tensor name
     * @return the shape
     * @throws FedbiotException if there is no such tensor
     */
    public int[] shape(String name) {
        return reader(name).shape(name);
    }

    /**
     * Returns a tensor's stored dtype.
     *
     * @param name the tensor name
     * @return the dtype
     * @throws FedbiotException if there is no such tensor
     */
    public DType dtype(String name) {
        return reader(name).dtype(name);
    }

    /**
     * Reads a floating-point tensor as float32.
     *
     * @param name the tensor name
     * @return the tensor on the heap
     * @throws FedbiotException if there is no such tensor, it is not floating-point or cannot be read
     * @throws IllegalStateException after {@link #close()}
     */
    public Tensor read(String name) {
        return reader(name).read(name);
    }

    /**
     * Reads an integer tensor (I64 or I32) as longs.
     *
     * @param name the tensor name
     * @return the values in row-major order
     * @throws FedbiotException if there is no such tensor or it is not an integer tensor
     * @throws IllegalStateException after {@link #close()}
     */
    public long[] readLongs(String name) {
        return reader(name).readLongs(name);
    }

    /**
     * Reads the floating-point tensors whose names match a predicate, in {@link #names()} order.
     *
     * @param keep which names to read
     * @return the tensors
     * @throws IllegalStateException after {@link #close()}
     */
    public NamedTensors readAll(Predicate<String> keep) {
        NamedTensors.Builder b = NamedTensors.builder();
        for (Map.Entry<String, SafetensorsReader> e : byName.entrySet()) {
            if (keep.test(e.getKey()) && e.getValue().dtype(e.getKey()).isFloatingPoint()) {
                b.add(e.getKey(), e.getValue().read(e.getKey()));
            }
        }
        return b.build();
    }

    /**
     * Reads every floating-point tensor, in {@link #names()} order.
     *
     * @return the tensors
     * @throws IllegalStateException after {@link #close()}
     */
    public NamedTensors readAll() {
        return readAll(n -> true);
    }

    private SafetensorsReader reader(String name) {
        SafetensorsReader r = byName.get(name);
        if (r == null) {
            throw new FedbiotException("checkpoint " + dir + ": no tensor named '" + name + "'");
        }
        return r;
    }

    /** Closes every shard; later reads throw {@link IllegalStateException}. Closing twice is harmless. */
    @Override
    public void close() {
        readers.forEach(SafetensorsReader::close);
    }
}
