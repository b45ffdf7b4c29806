/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.hf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pinned {@code hf} Python venv (torch, transformers, PEFT), created on first use by
 * {@code tools/python-venv.sh hf python/requirements-hf.txt} and cached in the user's cache directory.
 *
 * <p>When the venv cannot be created (for example without access to PyPI) the calling test fails with
 * the installer's output; it never passes without having run the real libraries.
 */
final class HfVenv {
    private static final long INSTALL_TIMEOUT_MIN = 30;
    private static final long SCRIPT_TIMEOUT_MIN = 10;
    private static Path python;
    private static AssertionError installFailure; // reported again to later tests instead of retrying

    private HfVenv() {}

    /** Returns the repository root (the directory holding tools/python-venv.sh). @return the root */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tools/python-venv.sh"))
                    && Files.isRegularFile(p.resolve("python/requirements-hf.txt"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find the repository root (tools/python-venv.sh) above "
                + Path.of("").toAbsolutePath());
    }

    /** Returns the venv's python, creating the venv if needed. @return the interpreter */
    static synchronized Path python() {
        if (installFailure != null) {
            throw new AssertionError(installFailure.getMessage());
        }
        if (python == null) {
            Path root = repoRoot();
            Result r = exec(root, List.of("bash", "tools/python-venv.sh", "hf", "python/requirements-hf.txt"),
                    INSTALL_TIMEOUT_MIN);
            String[] lines = r.stdout().strip().split("\n");
            Path py = Path.of(lines[lines.length - 1].strip(), "bin", "python");
            if (r.code() != 0 || !Files.isExecutable(py)) {
                installFailure = new AssertionError("could not create the pinned 'hf' Python venv with "
                        + "tools/python-venv.sh hf python/requirements-hf.txt (the first run needs Python 3.11 with "
                        + "venv and access to PyPI; later runs reuse the venv in ~/.cache/fedbiot/venv/hf or "
                        + "$FEDBIOT_VENV_ROOT/hf). Exit code " + r.code() + ", output:\n"
                        + tail(r.stdout() + r.stderr()));
                throw installFailure;
            }
            python = py;
        }
        return python;
    }

    /**
     * Runs a script of {@code python/} in the venv and fails the test with its output if it does not exit 0.
     *
     * @param script the script path relative to the repository root
     * @param args its arguments
     * @return its standard error (the scripts report there)
     */
    static String runScript(String script, List<String> args) {
        Path root = repoRoot();
        List<String> cmd = new ArrayList<>();
        cmd.add(python().toString());
        cmd.add(root.resolve(script).toString());
        cmd.addAll(args);
        Result r = exec(root, cmd, SCRIPT_TIMEOUT_MIN);
        if (r.code() != 0) {
            throw new AssertionError(script + " failed with exit code " + r.code() + ":\n" + tail(r.stderr()));
        }
        return r.stderr();
    }

    private record Result(int code, String stdout, String stderr) {}

    private static Result exec(Path dir, List<String> cmd, long timeoutMin) {
        try {
            Path out = Files.createTempFile("fedbiot-hf-", ".out");
            Path err = Files.createTempFile("fedbiot-hf-", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("PYTHONHASHSEED", "0");
                pb.environment().put("HF_HUB_OFFLINE", "1"); // everything is local; never reach for the Hub
                Process p = pb.start();
                if (!p.waitFor(timeoutMin, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutMin + " min");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd, e);
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
