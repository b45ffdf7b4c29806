/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.data.PromptTemplates;
import io.github.fedbiot.data.TextInput;
import io.github.fedbiot.engine.OptimizerConfig;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a {@link FedbiotConfig} from YAML or JSON with Jackson. Unknown keys, keys given twice, values of the
 * wrong type and values out of range are all reported as a {@link ConfigException} naming the dotted key (e.g.
 * {@code client.local_steps}) with the line and column; relative data and model paths are resolved against the
 * file's directory.
 *
 * <p>Limits keep a wrong file from hanging the reader: a file over {@link #MAX_FILE_BYTES} is refused while it
 * is read (so {@code /dev/zero} fails at once), the YAML reader's document limit (SnakeYAML's code point limit)
 * and the JSON reader's {@link StreamReadConstraints} are set to the same size, and no key or text value may be
 * longer than {@link #MAX_TEXT_CHARS}. An empty file (blank, comments only, {@code ---} or {@code ~}) is refused:
 * {@code {}} runs every default.
 */
public final class FedbiotConfigReader {
    /** The largest configuration file read: 1 MiB. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The longest key or text value (a path, an inline prompt template): 64 Ki characters. */
    public static final int MAX_TEXT_CHARS = 64 << 10;
    /** The deepest nesting of sections and lists; the configuration itself needs three. */
    private static final int MAX_DEPTH = 32;

    private static final ObjectMapper JSON = configure(JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(constraints()).build()));
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .loaderOptions(loaderOptions()).streamReadConstraints(constraints()).build()));

    private FedbiotConfigReader() {}

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxDocumentLength(MAX_FILE_BYTES).maxStringLength(MAX_TEXT_CHARS)
                .maxNameLength(MAX_TEXT_CHARS).maxNestingDepth(MAX_DEPTH).maxNumberLength(100).build();
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_FILE_BYTES);
        o.setNestingDepthLimit(MAX_DEPTH);
        return o;
    }

    private static ObjectMapper configure(MapperBuilder<?, ?> b) {
        ObjectMapper m = b.addMixIn(OptimizerConfig.class, OptimizerKeys.Names.class)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // "rank: 2.5" must be an error naming the key, not silently 2.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                // "rounds: '3'" or "proximal_gradient: 3" is a mistake to name, not to guess at
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(SerializationFeature.INDENT_OUTPUT).build();
        // a path or template written as 2024 or true is refused (quote it) rather than turned into "2024"/"true"
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
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
            text = TextInput.read(file, MAX_FILE_BYTES, "a configuration file");
        } catch (NoSuchFileException e) {
            throw new ConfigException("config", "file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage(), e);
        } catch (FedbiotException e) {
            throw new ConfigException("config", e.getMessage(), e);
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        FedbiotConfig c = parse(text, yaml, file.toString());
        return resolvePaths(c, file.toAbsolutePath().getParent());
    }

    /**
     * Parses configuration text.
     *
     * @param text the content
     * @param yaml true for YAML, false for JSON
     * @return the configuration (paths as written)
     * @throws ConfigException naming the key at fault, or {@code config} for an empty or malformed text
     */
    public static FedbiotConfig parse(String text, boolean yaml) {
        return parse(text, yaml, null);
    }

    private static FedbiotConfig parse(String text, boolean yaml, String source) {
        if (text.length() > MAX_FILE_BYTES) {
            throw new ConfigException("config", (source == null ? "the configuration" : source) + " is larger than " + TextInput.sizeName(MAX_FILE_BYTES)
                    + ", the limit for a configuration file");
        }
        if (text.isBlank()) {
            throw empty(source);
        }
        ObjectMapper mapper = yaml ? YAML : JSON;
        JsonParser p = null;
        try {
            p = new StrictConfigParser(mapper.createParser(text), source, MAX_TEXT_CHARS);
            JsonToken first = p.nextToken();
            // "---" alone is one empty document, read as the text ""
            if (first == null || first == JsonToken.VALUE_NULL || first == JsonToken.VALUE_STRING
                    && p.getText().isBlank()) {
                throw empty(source);
            }
            FedbiotConfig c = mapper.readValue(p, FedbiotConfig.class);
            if (p.nextToken() != null) {
                throw new ConfigException("config", (source == null ? "the configuration" : source) + " holds more "
                        + "than one " + (yaml ? "YAML document" : "JSON value") + " (the next one at line "
                        + p.currentTokenLocation().getLineNr() + "); write one");
            }
            return c;
        } catch (JsonProcessingException e) {
            // translated before the parser is closed: the message names the token it stands on
            throw ConfigErrors.translate(e, yaml, source, p);
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read the configuration: " + e.getMessage(), e);
        } finally {
            closeQuietly(p);
        }
    }

    private static void closeQuietly(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // a parser over a String holds no resource that could fail to close
            }
        }
    }

    private static ConfigException empty(String source) {
        return new ConfigException("config", (source == null ? "the configuration" : source) + " is empty (write {} to run with every default)");
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
