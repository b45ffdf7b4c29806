/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.github.fedbiot.flower.proto.Fab;
import io.github.fedbiot.flower.proto.Run;
import io.github.fedbiot.flower.proto.Scalar;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.FlowerObjects;
import io.github.fedbiot.flower.transport.FleetConnection;
import io.github.fedbiot.flower.transport.FleetException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config of each run the node takes part in, computed as flwr's {@code get_fused_config_from_fab} does: GetRun
 * gives the overrides and the FAB hash, GetFab the FAB (a zip whose {@code pyproject.toml} holds
 * {@code [tool.flwr.app.config]}); nested tables are flattened with dots and overrides replace existing keys only.
 * Each run's config is fetched once; past a hundred runs the kept configs are dropped, so that a node that lives
 * through many runs does not grow without bound.
 */
final class RunConfigs {
    private static final Logger logger = LoggerFactory.getLogger(RunConfigs.class);
    private static final long MAX_PYPROJECT_BYTES = 1 << 20;
    private static final int MAX_RUNS = 100;

    private final FleetConnection fleet;
    private final NodeRef self;
    private final Map<Long, Map<String, Object>> byRun = new ConcurrentHashMap<>();

    RunConfigs(FleetConnection fleet, NodeRef self) {
        this.fleet = fleet;
        this.self = self;
    }

    /** Returns the run's config, fetched on first use; empty if the SuperLink cannot give it. */
    Map<String, Object> get(long runId) {
        Map<String, Object> c = byRun.get(runId);
        if (c == null) {
            try {
                c = fetch(runId);
            } catch (FleetException | RecordException e) {
                logger.warn("[node {}] run config of run {} unavailable: {}", self.id(), Long.toUnsignedString(runId),
                        e.getMessage());
                return Map.of();
            }
            if (byRun.size() > MAX_RUNS) {
                byRun.clear();
            }
            byRun.put(runId, c);
        }
        return c;
    }

    private Map<String, Object> fetch(long runId) {
        Run run = fleet.getRun(self.value(), runId);
        Fab fab = fleet.getFab(self.value(), runId, run.getFabHash());
        byte[] zip = fab.getContent().toByteArray();
        String hash = FlowerObjects.objectId(zip);
        if (!hash.equals(run.getFabHash())) {
            throw new RecordException("FAB content has SHA-256 " + hash + ", the run names " + run.getFabHash());
        }
        return fuse(defaults(zip), run.getOverrideConfigMap());
    }

    /** Returns the flattened {@code [tool.flwr.app.config]} of a FAB. */
    private static Map<String, Object> defaults(byte[] fabZip) {
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

    private static Map<String, Object> fuse(Map<String, Object> defaults, Map<String, Scalar> overrides) {
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
