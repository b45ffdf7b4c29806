/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.tensor.AtomicFile;
import io.github.fedbiot.tensor.DType;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a Hugging Face model directory that transformers loads with {@code from_pretrained}: config.json from
 * the {@link ModelSpec}, the weights as one model.safetensors, and the tokenizer files of the directory the
 * model came from.
 */
public final class HfDirectoryWriter {
    /** The tokenizer files copied from the source directory when present. */
    public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfDirectoryWriter() {}

    /**
     * Writes the directory (created if needed); config.json and model.safetensors are replaced atomically.
     *
     * @param dir the output directory
     * @param spec the model shape, written as config.json
     * @param weights the weights in Hugging Face layout
     * @param tokenizerDir the directory to copy {@link #TOKENIZER_FILES} from, or null for none; ignored when
     *     it is {@code dir} itself
     * @throws FedbiotException if a file cannot be written
     */
    public static void write(Path dir, ModelSpec spec, NamedTensors weights, Path tokenizerDir) {
        write(dir, spec, weights, tokenizerDir, DType.F32);
    }

    /**
     * Writes the directory with the weights in a precision (see {@link #write(Path, ModelSpec, NamedTensors,
     * Path)}).
     *
     * @param dir the output directory
     * @param spec the model shape, written as config.json
     * @param weights the weights in Hugging Face layout
     * @param tokenizerDir the directory to copy the tokenizer files from, or null for none
     * @param dtype F32, F16 or BF16 for model.safetensors
     * @throws FedbiotException if a file cannot be written
     */
    public static void write(Path dir, ModelSpec spec, NamedTensors weights, Path tokenizerDir, DType dtype) {
        try {
            Files.createDirectories(dir);
            byte[] config = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec.toConfigJson());
            AtomicFile.write(dir.resolve("config.json"), out -> out.write(config));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"), dtype);
            if (tokenizerDir != null
                    && !tokenizerDir.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                for (String f : TOKENIZER_FILES) {
                    Path src = tokenizerDir.resolve(f);
                    if (Files.isRegularFile(src)) {
                        Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new FedbiotException("cannot write model directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
