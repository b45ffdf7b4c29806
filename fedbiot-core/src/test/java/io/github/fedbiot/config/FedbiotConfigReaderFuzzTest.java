/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.data.UserMessages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based fuzzing of the configuration reader: random text, random bytes, configurations built from the
 * real keys with values of random kinds, and random edits of a valid configuration. Whatever comes in, the reader
 * returns a configuration or throws a {@link ConfigException} whose message is one clean line, within a time
 * bound. The number of cases is jqwik's default tries: {@code fuzz.tries} in the build (1000; 100000 with
 * {@code -Pfuzz-long}).
 */
class FedbiotConfigReaderFuzzTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final List<String> KEYS = List.copyOf(FedbiotConfigReader.flatten(FedbiotConfig.DEFAULT)
            .keySet());
    private static final String VALID = """
            seed: 7
            algorithm: fedot
            data:
              train: train.jsonl
              partition: dirichlet
              clients: 4
              dirichlet_alpha: 0.3
            plan: {adapter_layers: 1, drop_rate: 0.5, baseline_pad: 1}
            lora:
              rank: 4
              targets: [q_proj, v_proj]
            client: {local_steps: 3, proximal_weight: 0.5, proximal_gradient: false}
            federation: {rounds: 2, sample_fraction: 0.5}
            eval: {every: 1, max_examples: 8}
            """;

    /** Reads the text; anything but a configuration or a clean ConfigException fails the property. */
    private static void readsOrRefusesCleanly(String text, boolean yaml) {
        assertTimeoutPreemptively(BOUND, () -> check(text, yaml));
    }

    private static void check(String text, boolean yaml) {
        try {
            assertThat(FedbiotConfigReader.parse(text, yaml)).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.key()).isNotBlank();
            UserMessages.assertClean(e.getMessage());
        }
    }

    @Property
    void anyTextIsReadOrRefusedCleanly(@ForAll("anyText") String text, @ForAll boolean yaml) {
        readsOrRefusesCleanly(text, yaml);
    }

    @Property
    void anyBytesAreDecodedOrRefusedCleanly(@ForAll("anyBytes") byte[] bytes, @ForAll boolean yaml) {
        assertTimeoutPreemptively(BOUND, () -> {
            String text = UserMessages.textOrRefusedCleanly(bytes, "fuzz.yaml", FedbiotConfigReader.MAX_FILE_BYTES);
            if (text != null) {
                check(text, yaml);
            }
        });
    }

    @Property
    void realKeysWithValuesOfAnyKindAreReadOrRefusedCleanly(@ForAll("configs") Map.Entry<String, Boolean> config) {
        readsOrRefusesCleanly(config.getKey(), config.getValue());
    }

    @Property
    void editsOfAValidConfigurationAreReadOrRefusedCleanly(@ForAll("edits") String text) {
        readsOrRefusesCleanly(text, true);
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> yamlish = Arbitraries.strings().withChars(":-[]{},'\"#&*!|>%@`?\\ \n\t\r~.0123456789abcxyz")
                .ofMaxLength(120);
        return Arbitraries.oneOf(unicode, yamlish);
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    /** Random values of every kind, nested a little, in YAML flow syntax (which JSON values also are). */
    private static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "~", "1e400", "-0", "0x1F", ".inf", "NaN", "99999999999999999999",
                        "\"\"", "''", "yes", "fedbiot", "iid", "auto", "q_proj", "alpaca", "file:", "\"a\\u0000b\""),
                Arbitraries.strings().alpha().ofMaxLength(12).map(s -> "\"" + s + "\""));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> list = value(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> map = Combinators.combine(Arbitraries.of(KEYS).map(k -> k.substring(k.lastIndexOf('.') + 1)),
                value(depth - 1)).as((k, v) -> "{\"" + k + "\": " + v + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar), net.jqwik.api.Tuple.of(1, list), net.jqwik.api.Tuple.of(1, map));
    }

    /** A configuration of 1 to 6 real (or slightly wrong) keys as JSON, read as JSON or as YAML. */
    @Provide
    Arbitrary<Map.Entry<String, Boolean>> configs() {
        Arbitrary<String> key = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, Arbitraries.of(KEYS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(KEYS).map(k -> k + "x")));
        Arbitrary<String> entry = Combinators.combine(key, value(2)).as(FedbiotConfigReaderFuzzTest::nested);
        return Combinators.combine(entry.list().ofMinSize(1).ofMaxSize(6), Arbitraries.of(true, false))
                .as((entries, yaml) -> Map.entry("{" + String.join(", ", entries) + "}", yaml));
    }

    private static String nested(String key, String value) {
        String[] parts = key.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            b.append(i == 0 ? "" : "{").append('"').append(parts[i]).append("\": ");
        }
        return b.append(value).append("}".repeat(parts.length - 1)).toString();
    }

    /** The valid configuration with characters replaced, inserted or deleted at random places. */
    @Provide
    Arbitrary<String> edits() {
        Arbitrary<Character> c = Arbitraries.of(':', ' ', '\n', '-', '[', ']', '{', '}', ',', '"', '\'', '#', '&',
                '*', '!', '|', '>', '\t', 'x', '0', '9', '.', '~');
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, VALID.length() - 1),
                Arbitraries.integers().between(0, 2), c.map(ch -> (int) ch))
                .as((pos, kind, ch) -> new int[] {pos, kind, ch});
        return edit.list().ofMinSize(1).ofMaxSize(5).map(edits -> {
            StringBuilder b = new StringBuilder(VALID);
            for (int[] e : edits) {
                int pos = Math.min(e[0], b.length() - 1);
                switch (e[1]) {
                    case 0 -> b.setCharAt(pos, (char) e[2]);
                    case 1 -> b.insert(pos, (char) e[2]);
                    default -> b.deleteCharAt(pos);
                }
            }
            return b.toString();
        });
    }
}
