/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.fedbiot.flower.proto.Fab;
import io.github.fedbiot.flower.proto.GetFabRequest;
import io.github.fedbiot.flower.proto.GetRunRequest;
import io.github.fedbiot.flower.proto.Node;
import io.github.fedbiot.flower.proto.Run;
import io.github.fedbiot.flower.proto.Scalar;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.FlowerObjects;
import io.github.fedbiot.flower.transport.FleetTransport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Computes a run's config as flwr's {@code get_fused_config_from_fab} does: GetRun gives the overrides and the
 * FAB hash, GetFab the FAB (a zip whose {@code pyproject.toml} holds {@code [tool.flwr.app.config]}); nested
 * tables are flattened with dots and overrides replace existing keys only.
 */
final class RunConfigs {
    private static final long MAX_PYPROJECT_BYTES = 1 << 20;

    private RunConfigs() {}

    static Map<String, Object> fetch(FleetTransport transport, long nodeId, long runId) {
        Node node = Node.newBuilder().setNodeId(nodeId).build();
        Run run = transport.getRun(GetRunRequest.newBuilder().setNode(node).setRunId(runId).build()).getRun();
        Fab fab = transport.getFab(GetFabRequest.newBuilder().setNode(node).setRunId(runId)
                .setHashStr(run.getFabHash()).build()).getFab();
        byte[] zip = fab.getContent().toByteArray();
        String hash = FlowerObjects.objectId(zip);
        if (!hash.equals(run.getFabHash())) {
            throw new RecordException("FAB content has SHA-256 " + hash + ", the run names " + run.getFabHash());
        }
        return fuse(defaults(zip), run.getOverrideConfigMap());
    }

    /** Returns the flattened {@code [tool.flwr.app.config]} of a FAB. */
    static Map<String, Object> defaults(byte[] fabZip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(fabZip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.getName().equals("pyproject.toml")) {
                    byte[] toml = in.readNBytes((int) MAX_PYPROJECT_BYTES + 1);
                    if (toml.length > MAX_PYPROJECT_BYTES) {
                        throw new RecordException("FAB pyproject.toml is larger than " + MAX_PYPROJECT_BYTES + " bytes");
                    }
                    JsonNode root = new TomlMapper().readTree(toml);
                    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                    flatten(root.path("tool").path("flwr").path("app").path("config"), "", out);
                    return out;
                }
            }
        } catch (IOException ex) {
            throw new RecordException("FAB is not a readable zip with a pyproject.toml: " + ex.getMessage(), ex);
        }
        throw new RecordException("FAB has no pyproject.toml");
    }

    private static void flatten(JsonNode n, String prefix, Map<String, Object> out) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(v, key, out);
            } else if (v.isBoolean()) {
                out.put(key, v.asBoolean());
            } else if (v.isIntegralNumber()) {
                out.put(key, v.asLong());
            } else if (v.isNumber()) {
                out.put(key, v.asDouble());
            } else {
                out.put(key, v.asText());
            }
        }
    }

    static Map<String, Object> fuse(Map<String, Object> defaults, Map<String, Scalar> overrides) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>(defaults);
        overrides.forEach((k, s) -> {
            if (defaults.containsKey(k)) {
                out.put(k, switch (s.getScalarCase()) {
                    case DOUBLE -> s.getDouble();
                    case UINT64 -> s.getUint64();
                    case SINT64 -> s.getSint64();
                    case BOOL -> s.getBool();
                    case STRING -> s.getString();
                    case BYTES -> s.getBytes().toByteArray();
                    case SCALAR_NOT_SET -> defaults.get(k);
                });
            }
        });
        return out;
    }
}
