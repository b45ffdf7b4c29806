/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.data.UserMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Feeds every key of the configuration the wrong kinds of value, and every section an unknown key, in YAML and
 * JSON: each must be refused with a {@link ConfigException} naming that key, in one line without the reader's
 * internals.
 */
class ConfigMessagesTest {
    private static final Set<String> ENUMS = Set.of("algorithm", "data.format", "data.public_format",
            "data.partition");
    private static final List<String> NOT_TEXT = List.of("[1, 2]", "{a: 1}", "3", "2.5", "true");
    private static final List<String> NOT_INTEGER = List.of("abc", "'7'", "1.5", "[1]", "{a: 1}", "true",
            "99999999999999999999", "1e400", "''");
    private static final List<String> NOT_NUMBER = List.of("abc", "'0.5'", "[1]", "{a: 1}", "true", ".nan", "''");
    // YAML 1.1's yes/no/on/off are booleans, so they are not among the wrong values
    private static final List<String> NOT_BOOLEAN = List.of("abc", "'true'", "3", "[true]", "{a: 1}", "''");

    /** Returns the wrong values for a key, judged by the kind of its default value. */
    private static List<String> wrongValues(String key, String defaultValue) {
        if (ENUMS.contains(key)) {
            List<String> v = new ArrayList<>(NOT_TEXT);
            v.add("no-such-" + key.replace('.', '-'));
            return v;
        }
        if (key.equals("lora.targets")) {
            return List.of("q_proj", "3", "{a: 1}", "[[q_proj]]", "[{a: 1}]", "[1]", "[]");
        }
        if (defaultValue.equals("true") || defaultValue.equals("false")) {
            return NOT_BOOLEAN;
        }
        if (defaultValue.matches("-?\\d+")) {
            return NOT_INTEGER;
        }
        if (defaultValue.matches("-?[\\d.Ee+-]+") || key.equals("client.proximal_weight")) {
            return NOT_NUMBER;
        }
        return NOT_TEXT;
    }

    /** Writes {@code a.b: v} as nested YAML. */
    private static String yaml(String key, String value) {
        String[] parts = key.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            b.append("  ".repeat(i)).append(parts[i]).append(':');
            b.append(i == parts.length - 1 ? " " + value + "\n" : "\n");
        }
        return b.toString();
    }

    /** Writes {@code a.b: v} as nested JSON, the value in YAML flow syntax turned into JSON where needed. */
    private static String json(String key, String value) {
        String v = value.replace("{a: 1}", "{\"a\": 1}").replace("[[q_proj]]", "[[\"q_proj\"]]")
                .replace("[{a: 1}]", "[{\"a\": 1}]").replace("'", "\"");
        if (v.matches("[A-Za-z_][\\w-]*") && !v.equals("true")) {
            v = "\"" + v + "\"";
        }
        String[] parts = key.split("\\.");
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append("{\"").append(p).append("\": ");
        }
        b.append(v).append("}".repeat(parts.length));
        return b.toString();
    }

    private static ConfigException refusal(String text, boolean yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> FedbiotConfigReader.parse(text, yaml));
        assertThat(e).as("refused: %s", text).isNotNull();
        UserMessages.assertClean(e.getMessage());
        return e;
    }

    @Test
    void everyKeyRefusesEveryWrongKindOfValueNamingTheKey() {
        Map<String, String> keys = FedbiotConfigReader.flatten(FedbiotConfig.DEFAULT);
        assertThat(keys).hasSizeGreaterThan(40);
        int cases = 0;
        for (Map.Entry<String, String> k : keys.entrySet()) {
            for (String wrong : wrongValues(k.getKey(), k.getValue())) {
                for (boolean yaml : new boolean[] {true, false}) {
                    if (!yaml && wrong.equals(".nan")) {
                        continue;   // YAML-only spellings
                    }
                    String text = yaml ? yaml(k.getKey(), wrong) : json(k.getKey(), wrong);
                    ConfigException e = refusal(text, yaml);
                    assertThat(e.key()).as("%s", text).startsWith(k.getKey());
                    cases++;
                }
            }
        }
        assertThat(cases).isGreaterThan(400);
    }

    @Test
    void everySectionRefusesAnUnknownKeyListingTheKnownOnes() {
        for (String section : List.of("model", "data", "plan", "lora", "optimizer", "client", "server",
                "federation", "eval")) {
            ConfigException e = refusal(section + ":\n  colour: blue\n", true);
            assertThat(e.key()).isEqualTo(section + ".colour");
            assertThat(e.getMessage()).contains("unknown key 'colour'").contains("known keys here");
            ConfigException j = refusal("{\"" + section + "\": {\"colour\": 1}}", false);
            assertThat(j.key()).isEqualTo(section + ".colour");
        }
        assertThat(refusal("colour: blue\n", true).key()).isEqualTo("colour");
    }

    @Test
    void everySectionRefusesAScalarOrAList() {
        for (String section : List.of("model", "data", "plan", "lora", "optimizer", "client", "server",
                "federation", "eval")) {
            for (String wrong : List.of("3", "abc", "[1, 2]", "true")) {
                ConfigException e = refusal(section + ": " + wrong + "\n", true);
                assertThat(e.key()).isEqualTo(section);
                assertThat(e.getMessage()).contains("expected a section");
            }
        }
    }

    @Test
    void malformedFilesAreOneLineWithTheirPosition() {
        List<String> yaml = List.of("{ unclosed", "key: [unclosed", "\tseed: 1", "a: b: c", "- 1\n- 2\n",
                "seed: 1\n  data: 2\n", "'unterminated", "data: {train: \"a\\xZZ\"}", "? [a]\n: 1\n",
                "seed: !!binary =====", "%YAML 9.9\n---\nseed: 1\n");
        for (String text : yaml) {
            refusal(text, true);
        }
        List<String> json = List.of("{\"seed\": ", "{\"seed\": 1,}", "{seed: 1}", "{\"seed\": 01}", "[",
                "{\"data\": {\"train\": \"a\"", "{\"seed\": 1} trailing", "{\"seed\": \"\\u00\"}", "\"text\"",
                "{\"seed\": NaN}", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}");
        for (String text : json) {
            ConfigException e = refusal(text, false);
            assertThat(e.getMessage()).as(text).doesNotContain("start marker");
        }
    }
}
