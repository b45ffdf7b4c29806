/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pinned {@code onnx} Python venv (onnxruntime 1.23.2, numpy, tokenizers), created on first use by
 * {@code tools/python-venv.sh onnx python/onnx/requirements.txt} and cached in the user's cache directory.
 * When it cannot be created (for example without access to PyPI) the calling test fails with the installer's
 * output; it never passes without having run Python's ONNX Runtime.
 */
final class OnnxVenv {
    private OnnxVenv() {}

    private static Path root() {
        return Path.of(System.getProperty("fedbiot.root"));
    }

    /**
     * Runs {@code python/onnx/classify.py} and returns its standard output.
     *
     * @param args the script's arguments
     * @return the JSON it printed
     */
    static String classify(List<String> args) throws IOException, InterruptedException {
        String venv = run(List.of("bash", root().resolve("tools/python-venv.sh").toString(), "onnx",
                root().resolve("python/onnx/requirements.txt").toString()), 30).strip();
        String[] lines = venv.split("\n");
        Path python = Path.of(lines[lines.length - 1].strip(), "bin", "python");
        List<String> cmd = new ArrayList<>(List.of(python.toString(),
                root().resolve("python/onnx/classify.py").toString()));
        cmd.addAll(args);
        return run(cmd, 5);
    }

    private static String run(List<String> cmd, long timeoutMin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("fedbiot-onnx-venv", ".out");
        Path err = Files.createTempFile("fedbiot-onnx-venv", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(root().toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutMin, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " timed out after " + timeoutMin + " min");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "; the first run "
                        + "of tools/python-venv.sh needs Python 3.11 with venv and access to PyPI):\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
