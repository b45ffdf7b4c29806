/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.data.PromptTemplates;
import io.github.fedbiot.engine.OptimizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads a {@link FedbiotConfig} from YAML or JSON with Jackson. Unknown keys, values of the wrong type and
 * values out of range are all reported as a {@link ConfigException} naming the dotted key (e.g.
 * {@code client.local_steps}); relative data and model paths are resolved against the file's directory.
 */
public final class FedbiotConfigReader {
    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
    private static final ObjectMapper YAML = configure(YAMLMapper.builder().build());

    private FedbiotConfigReader() {}

    private static ObjectMapper configure(ObjectMapper m) {
        return m.addMixIn(OptimizerConfig.class, OptimizerKeys.Names.class)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // "rank: 2.5" must be an error naming the key, not silently 2.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Reads a configuration file ({@code .yaml}/{@code .yml} as YAML, anything else as JSON) and resolves its
     * relative paths against the file's directory.
     *
     * @param file the file
     * @return the configuration
     * @throws ConfigException if the file is missing, malformed, has an unknown key or a bad value
     */
    public static FedbiotConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config", "file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        FedbiotConfig c = parse(text, yaml);
        return resolvePaths(c, file.toAbsolutePath().getParent());
    }

    /**
     * Parses configuration text.
     *
     * @param text the content
     * @param yaml true for YAML, false for JSON
     * @return the configuration (paths as written)
     * @throws ConfigException naming the key at fault
     */
    public static FedbiotConfig parse(String text, boolean yaml) {
        ObjectMapper mapper = yaml ? YAML : JSON;
        try {
            if (text.isBlank()) {
                return FedbiotConfig.DEFAULT;
            }
            FedbiotConfig c = mapper.readValue(text, FedbiotConfig.class);
            return c == null ? FedbiotConfig.DEFAULT : c;
        } catch (JsonMappingException e) {
            throw translate(e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ConfigException("config", "malformed " + (yaml ? "YAML" : "JSON") + where + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static ConfigException translate(JsonMappingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException ce) {
                return ce;
            }
        }
        String key = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
        if (key.isEmpty()) {
            key = "config";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new ConfigException(key, "unknown key '" + u.getPropertyName() + "' (known keys here: " + known
                    + ")", e);
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(key, "bad value '" + f.getValue() + "', expected "
                    + describe(f.getTargetType()), e);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new ConfigException(key, "bad value, expected " + describe(m.getTargetType()) + " ("
                    + e.getOriginalMessage() + ")", e);
        }
        return new ConfigException(key, e.getOriginalMessage(), e);
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isRecord()) {
            return "a section (mapping)";
        }
        return type.getSimpleName();
    }

    /**
     * Resolves the relative model and data paths of a configuration against a directory.
     *
     * @param c the configuration
     * @param base the directory of the configuration file
     * @return the configuration with absolute paths (empty paths stay empty), a {@code file:} prompt template's
     *     included
     */
    public static FedbiotConfig resolvePaths(FedbiotConfig c, Path base) {
        DataConfig d = c.data();
        String template = d.promptTemplate();
        if (template.startsWith(PromptTemplates.FILE_PREFIX)) {
            template = PromptTemplates.FILE_PREFIX
                    + resolve(base, template.substring(PromptTemplates.FILE_PREFIX.length()));
        }
        DataConfig resolved = d.toBuilder().optTrain(resolve(base, d.train())).optTest(resolve(base, d.test()))
                .optPublicData(resolve(base, d.publicData())).optPromptTemplate(template).build();
        return c.withData(resolved).withModelDir(resolve(base, c.model().dir()));
    }

    private static String resolve(Path base, String p) {
        if (p == null || p.isEmpty() || p.startsWith("classpath:")) {
            return p;
        }
        Path path = Path.of(p);
        return path.isAbsolute() ? p : base.resolve(path).normalize().toString();
    }

    /**
     * Writes a configuration as indented JSON (snake-case keys), the same form {@link #parse} reads.
     *
     * @param c the configuration
     * @return the JSON text
     */
    public static String toJson(FedbiotConfig c) {
        try {
            return JSON.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the configuration", e);
        }
    }

    /**
     * Flattens a configuration into dotted keys and their values, sorted by key (e.g.
     * {@code client.local_steps -> 30}); used to fingerprint a run and to name what differs between two runs.
     *
     * @param c the configuration
     * @return key to value as text
     */
    public static Map<String, String> flatten(FedbiotConfig c) {
        JsonNode tree = JSON.valueToTree(c);
        Map<String, String> out = new TreeMap<>();
        flatten("", tree, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
