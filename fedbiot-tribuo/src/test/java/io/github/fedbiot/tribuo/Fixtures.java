/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the test fixtures: the committed tiny Hugging Face models and this package's resources. */
final class Fixtures {
    private Fixtures() {}

    /**
     * Returns a tiny HF model directory made by python/ (random weights, real byte-level BPE tokenizer).
     *
     * @param name llama, qwen2 or gpt2
     * @return the directory
     */
    static Path hfModel(String name) {
        String root = System.getProperty("fedbiot.hf.fixtures");
        if (root == null) {
            throw new IllegalStateException("system property fedbiot.hf.fixtures is not set (run through Maven)");
        }
        Path dir = Path.of(root, name);
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalStateException("no HF fixture at " + dir);
        }
        return dir;
    }

    /**
     * Returns a test resource of this package as a file path.
     *
     * @param name the resource name
     * @return the path
     */
    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
