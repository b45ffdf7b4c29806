/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.FedbiotConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The identity of the files a run reads, recorded in its checkpoint so that a resume with other inputs at the
 * same paths is refused: the data files ({@code data.train}, {@code data.test}, {@code data.public}) by a
 * SHA-256 of their whole content, and the regular files directly in the model directory ({@code model.dir}) by
 * size and modification time, plus a SHA-256 of their content where that is cheap (files up to
 * {@value #FULL_DIGEST_LIMIT} bytes: {@code config.json}, tokenizer files, small weight files).
 *
 * <p>Resuming checks every recorded file; files added to the model directory afterwards are not inputs and are
 * ignored (a new shard needs a changed index, which is checked).
 *
 * @param files the recorded files, model files first in name order, then the data files
 */
public record RunInputs(List<InputFile> files) {
    /** Files up to this size get a full SHA-256; larger model files are recognised by size and time only. */
    public static final long FULL_DIGEST_LIMIT = 64L << 20;

    private static final String CLASSPATH = "classpath:";

    /** Copies the list. */
    public RunInputs {
        files = List.copyOf(files);
    }

    /**
     * One input file as it was when the run started.
     *
     * @param role what it is: {@code model} or the data key ({@code data.train}, ...)
     * @param path the path as configured ({@code classpath:} resources included)
     * @param size its size in bytes
     * @param modifiedMillis its modification time (0 for a class-path resource)
     * @param sha256 the hex SHA-256 of its content, or null where only size and time are recorded
     */
    public record InputFile(String role, String path, long size, long modifiedMillis, String sha256) {
        /** Checks the names. */
        public InputFile {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Records the inputs a configuration names, as they are now.
     *
     * @param config the configuration
     * @return the inputs
     * @throws FedbiotException if a file cannot be read
     */
    public static RunInputs of(FedbiotConfig config) {
        List<InputFile> out = new ArrayList<>();
        String model = config.model().dir();
        if (!model.isEmpty()) {
            Path m = Path.of(model);
            if (Files.isRegularFile(m)) {
                out.add(modelFile(m));
            } else if (Files.isDirectory(m)) {
                try (Stream<Path> s = Files.list(m)) {
                    for (Path p : s.sorted().toList()) {
                        if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                            out.add(modelFile(p));
                        }
                    }
                } catch (IOException e) {
                    throw new FedbiotException("cannot list model directory " + m + ": " + e.getMessage(), e);
                }
            }
        }
        DataConfig d = config.data();
        addData(out, "data.train", d.train());
        addData(out, "data.test", d.test());
        addData(out, "data.public", d.publicData());
        return new RunInputs(out);
    }

    /**
     * Refuses to go on if any recorded file is missing or differs from what was recorded.
     *
     * @param checkpoint the checkpoint that recorded them, for the message
     * @throws CheckpointException naming the first file that changed and how
     */
    public void requireUnchanged(Path checkpoint) {
        for (InputFile f : files) {
            String change = changeOf(f);
            if (change != null) {
                throw new CheckpointException("cannot resume from " + checkpoint + ": " + f.role() + " file " + f.path()
                        + " changed since the run started (" + change + "); restore it, or start a fresh run "
                        + "(another --out, or --overwrite)");
            }
        }
    }

    /** Says how a file differs from its record, or returns null if it does not. */
    private static String changeOf(InputFile f) {
        InputFile now;
        try {
            if (f.path().startsWith(CLASSPATH)) {
                now = resource(f.role(), f.path());
            } else {
                Path p = Path.of(f.path());
                if (!Files.isRegularFile(p)) {
                    return "it no longer exists";
                }
                long size = Files.size(p);
                if (size != f.size()) {
                    return "size " + f.size() + " -> " + size + " bytes";
                }
                if (f.sha256() == null) {
                    long t = Files.getLastModifiedTime(p).toMillis();
                    return t == f.modifiedMillis() ? null : "modified since (time " + f.modifiedMillis() + " -> " + t
                            + " ms; only size and time are recorded for files over " + FULL_DIGEST_LIMIT + " bytes)";
                }
                now = new InputFile(f.role(), f.path(), size, 0, sha256(Files.newInputStream(p)));
            }
        } catch (FedbiotException | IOException e) {
            return "it cannot be read: " + e.getMessage();
        }
        if (now.size() != f.size()) {
            return "size " + f.size() + " -> " + now.size() + " bytes";
        }
        return Objects.equals(now.sha256(), f.sha256()) ? null : "same size, but its SHA-256 differs";
    }

    private static InputFile modelFile(Path p) {
        try {
            long size = Files.size(p);
            String digest = size <= FULL_DIGEST_LIMIT ? sha256(Files.newInputStream(p)) : null;
            return new InputFile("model", p.toString(), size, Files.getLastModifiedTime(p).toMillis(), digest);
        } catch (IOException e) {
            throw new FedbiotException("cannot read model file " + p + ": " + e.getMessage(), e);
        }
    }

    private static void addData(List<InputFile> out, String role, String location) {
        if (location.isEmpty()) {
            return;
        }
        if (location.startsWith(CLASSPATH)) {
            out.add(resource(role, location));
            return;
        }
        Path p = Path.of(location);
        try {
            out.add(new InputFile(role, location, Files.size(p), Files.getLastModifiedTime(p).toMillis(),
                    sha256(Files.newInputStream(p))));
        } catch (IOException e) {
            throw new FedbiotException("cannot read " + role + " file " + location + ": " + e.getMessage(), e);
        }
    }

    private static InputFile resource(String role, String location) {
        String name = location.substring(CLASSPATH.length()).replaceFirst("^/", "");
        InputStream in = RunInputs.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new FedbiotException("no class-path resource " + name + " (" + role + ")");
        }
        try (InputStream counted = in) {
            byte[] bytes = counted.readAllBytes();
            return new InputFile(role, location, bytes.length, 0, hex(digest().digest(bytes)));
        } catch (IOException e) {
            throw new FedbiotException("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    /** Digests a stream to its end and closes it. */
    private static String sha256(InputStream stream) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = stream) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return hex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /**
     * Returns the record as JSON, for a checkpoint's state.
     *
     * @return an array of objects
     */
    ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (InputFile f : files) {
            ObjectNode o = a.addObject();
            o.put("role", f.role());
            o.put("path", f.path());
            o.put("size", f.size());
            o.put("modified_ms", f.modifiedMillis());
            if (f.sha256() != null) {
                o.put("sha256", f.sha256());
            }
        }
        return a;
    }

    /**
     * Reads what {@link #toJson} wrote.
     *
     * @param a the array
     * @return the inputs
     * @throws IllegalArgumentException if an entry lacks a field
     */
    static RunInputs fromJson(JsonNode a) {
        if (!a.isArray()) {
            throw new IllegalArgumentException("inputs must be an array");
        }
        List<InputFile> out = new ArrayList<>();
        for (JsonNode o : a) {
            JsonNode sha = o.get("sha256");
            out.add(new InputFile(o.required("role").asText(), o.required("path").asText(),
                    o.required("size").asLong(), o.required("modified_ms").asLong(), sha == null ? null : sha.asText()));
        }
        return new RunInputs(out);
    }
}
