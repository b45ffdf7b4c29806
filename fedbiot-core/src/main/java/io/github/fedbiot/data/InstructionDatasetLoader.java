/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Loads instruction examples from a JSON array or JSON Lines file in one of the {@link DatasetFormat}s and maps
 * them to {@link InstructionExample}s. A path starting with {@code classpath:} is read from the class path.
 * Errors name the source, the record (line for JSONL, index for arrays) and the missing or mistyped field.
 *
 * <p>Nothing is dropped silently: a second JSON value on a JSON Lines line, a field given twice in one record,
 * content after the closing bracket of an array, invalid UTF-8 and files over {@link #MAX_BYTES} are refused.
 */
public final class InstructionDatasetLoader {
    /** The largest data file read (512 MiB), checked while reading. */
    public static final long MAX_BYTES = 512L << 20;

    // a field given twice would otherwise silently keep the last value
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Pattern GSM_MARK = Pattern.compile("####\\s*");

    private InstructionDatasetLoader() {}

    /**
     * Loads a data file.
     *
     * @param location a file path, or {@code classpath:<resource>}
     * @param format the layout, or {@link DatasetFormat#AUTO}
     * @return the examples in file order
     * @throws FedbiotException if the file cannot be read or a record is malformed
     */
    public static List<InstructionExample> load(String location, DatasetFormat format) {
        String text;
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
                try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new FedbiotException("data file not found on the class path: " + resource);
                    }
                    text = TextInput.read(in, location, MAX_BYTES, "a data file");
                }
            } else {
                text = TextInput.read(Path.of(location), MAX_BYTES, "a data file");
            }
        } catch (NoSuchFileException e) {
            throw new FedbiotException("data file not found: " + location);
        } catch (IOException e) {
            throw new FedbiotException("cannot read data file " + location + ": " + e.getMessage(), e);
        }
        return parse(text, format, location);
    }

    /**
     * Parses the content of a data file.
     *
     * @param text JSON array or JSON Lines
     * @param format the layout, or {@link DatasetFormat#AUTO}
     * @param source the file's name, for messages
     * @return the examples in order
     * @throws FedbiotException if a record is malformed
     */
    public static List<InstructionExample> parse(String text, DatasetFormat format, String source) {
        List<JsonNode> records = new ArrayList<>();
        List<String> where = new ArrayList<>();
        String trimmed = text.strip();
        if (trimmed.startsWith("[")) {
            JsonNode array = readOne(text, source, false, "after the closing ']' of the array");
            for (int i = 0; i < array.size(); i++) {
                records.add(array.get(i));
                where.add(source + " record " + i);
            }
        } else {
            String[] lines = text.split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String at = source + " line " + (i + 1);
                records.add(readOne(lines[i], at, true, "on the same line (JSON Lines holds one object per line)"));
                where.add(at);
            }
        }
        if (records.isEmpty()) {
            throw new FedbiotException(source + ": no examples");
        }
        DatasetFormat f = format == DatasetFormat.AUTO ? detect(records.get(0), where.get(0)) : format;
        List<InstructionExample> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            out.add(map(records.get(i), f, where.get(i)));
        }
        return List.copyOf(out);
    }

    /**
     * Reads exactly one JSON value; a second one after it is an error, not silently dropped.
     *
     * @param text the JSON text
     * @param where the source (and line), for messages
     * @param line whether {@code text} is one line of a file (positions are then columns only)
     * @param second where a second value would be, for the message
     * @return the value
     */
    private static JsonNode readOne(String text, String where, boolean line, String second) {
        try (JsonParser p = JSON.createParser(text)) {
            JsonNode node = JSON.readTree(p);
            if (node == null) {
                throw new FedbiotException(where + ": no JSON value");
            }
            if (p.nextToken() != null) {
                throw new FedbiotException(where + ": a second JSON value" + at(p.currentTokenLocation(), line)
                        + " " + second);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new FedbiotException(where + ": malformed JSON" + at(e.getLocation(), line) + ": "
                    + JsonMessages.describe(e), e);
        } catch (IOException e) {
            throw new FedbiotException(where + ": cannot parse: " + e.getMessage(), e);
        }
    }

    private static String at(JsonLocation l, boolean line) {
        if (l == null || l.getLineNr() < 1) {
            return "";
        }
        return line ? " at column " + l.getColumnNr() : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /**
     * Detects the layout of a record from its fields.
     *
     * @param record a JSON object
     * @param where the record's position, for messages
     * @return the format
     */
    static DatasetFormat detect(JsonNode record, String where) {
        if (!record.isObject()) {
            throw new FedbiotException(where + ": expected a JSON object, found " + record.getNodeType());
        }
        if (record.has("question") && record.has("answer")) {
            return DatasetFormat.GSM8K;
        }
        if (record.has("response")) {
            return DatasetFormat.DOLLY;
        }
        if (record.has("output")) {
            return record.has("lang") || record.has("language") ? DatasetFormat.CODE : DatasetFormat.ALPACA;
        }
        throw new FedbiotException(where + ": cannot tell the data format from the fields " + fieldNames(record)
                + " (expected instruction/input/output, instruction/context/response or question/answer)");
    }

    private static InstructionExample map(JsonNode r, DatasetFormat f, String where) {
        if (!r.isObject()) {
            throw new FedbiotException(where + ": expected a JSON object, found " + r.getNodeType());
        }
        return switch (f) {
            case ALPACA -> new InstructionExample(text(r, "instruction", where, true), text(r, "input", where, false),
                    text(r, "output", where, true), text(r, "category", where, false));
            case CODE -> new InstructionExample(text(r, "instruction", where, true), text(r, "input", where, false),
                    text(r, "output", where, true), firstPresent(r, where, "category", "lang", "language"));
            case DOLLY -> new InstructionExample(text(r, "instruction", where, true),
                    text(r, "context", where, false), text(r, "response", where, true),
                    text(r, "category", where, false));
            case GSM8K -> new InstructionExample(text(r, "question", where, true), "",
                    GSM_MARK.matcher(text(r, "answer", where, true)).replaceAll("The answer is "),
                    text(r, "category", where, false));
            case AUTO -> throw new IllegalStateException("AUTO is resolved before mapping");
        };
    }

    private static String firstPresent(JsonNode r, String where, String... keys) {
        for (String k : keys) {
            if (r.has(k)) {
                return text(r, k, where, false);
            }
        }
        return "";
    }

    private static String text(JsonNode r, String key, String where, boolean required) {
        JsonNode v = r.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new FedbiotException(where + ": missing field '" + key + "' (fields: " + fieldNames(r) + ")");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw new FedbiotException(where + ": field '" + key + "' must be a string, found " + v.getNodeType());
        }
        return v.asText();
    }

    private static List<String> fieldNames(JsonNode r) {
        List<String> names = new ArrayList<>();
        r.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
