/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.flower.local.FlowerEnv;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** Runs {@code secagg_reference.py} in the flwr 1.42.0 venv: the Python side of the byte-level tests. */
final class SecAggReference {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    private SecAggReference() {}

    static ObjectNode newCase(ArrayNode cases, String op) {
        return cases.addObject().put("op", op);
    }

    /** Runs the cases and returns one result per case. */
    static JsonNode run(ArrayNode cases) throws Exception {
        Path bin = FlowerEnv.venvBin(FlowerEnv.VENV, FlowerEnv.REQUIREMENTS);
        Path script = Files.createTempFile("secagg_reference", ".py");
        try (InputStream in = SecAggReference.class.getResourceAsStream("secagg_reference.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder(bin.resolve("python").toString(), script.toString()).start();
            p.getOutputStream().write(JSON.writeValueAsBytes(JSON.createObjectNode().set("cases", cases)));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("secagg_reference.py failed: " + err);
            }
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
