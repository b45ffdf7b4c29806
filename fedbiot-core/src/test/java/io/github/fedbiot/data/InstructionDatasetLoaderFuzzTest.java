/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fedbiot.FedbiotException;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property-based fuzzing of the JSON / JSON Lines data loader: random bytes, random text, and records built from
 * the real field names with values of random kinds, joined into arrays or lines and cut at random places.
 * Whatever comes in, the loader returns examples or throws a {@link FedbiotException} whose message is one clean
 * line, within a time bound. Cases per property: jqwik's default tries ({@code fuzz.tries}).
 */
class InstructionDatasetLoaderFuzzTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final List<String> FIELDS = List.of("instruction", "input", "output", "context", "response",
            "question", "answer", "category", "lang", "language", "extra");

    private static void loadsOrRefusesCleanly(String text, DatasetFormat format) {
        assertTimeoutPreemptively(BOUND, () -> check(text, format));
    }

    private static void check(String text, DatasetFormat format) {
        try {
            List<InstructionExample> examples = InstructionDatasetLoader.parse(text, format, "fuzz.jsonl");
            assertThat(examples).isNotEmpty().doesNotContainNull();
        } catch (FedbiotException e) {
            UserMessages.assertClean(e.getMessage());
            assertThat(e.getMessage()).startsWith("fuzz.jsonl");
        }
    }

    @Property
    void anyBytesAreLoadedOrRefusedCleanly(@ForAll("anyBytes") byte[] bytes, @ForAll DatasetFormat format) {
        assertTimeoutPreemptively(BOUND, () -> {
            String text = UserMessages.textOrRefusedCleanly(bytes, "fuzz.jsonl", 1 << 20);
            if (text != null) {
                check(text, format);
            }
        });
    }

    @Property
    void anyTextIsLoadedOrRefusedCleanly(@ForAll("anyText") String text, @ForAll DatasetFormat format) {
        loadsOrRefusesCleanly(text, format);
    }

    @Property
    void recordsOfAnyShapeAreLoadedOrRefusedCleanly(@ForAll("files") String text, @ForAll DatasetFormat format) {
        loadsOrRefusesCleanly(text, format);
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // valid JSON Lines with one byte changed: mostly invalid UTF-8 or broken JSON close to real data
        Arbitrary<byte[]> flipped = Combinators.combine(Arbitraries.integers().between(0, 200),
                Arbitraries.bytes()).as((pos, b) -> {
                    byte[] ok = ("{\"instruction\": \"caf\u00e9\", \"output\": \"b\", \"category\": \"c\"}\n"
                            + "{\"instruction\": \"x\", \"output\": \"y\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    ok[pos % ok.length] = b;
                    return ok;
                });
        return Arbitraries.oneOf(raw, flipped);
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]:,\"\\ \n\r\t0123456789.eE+-truefalsn")
                .ofMaxLength(150);
        return Arbitraries.oneOf(unicode, jsonish);
    }

    private static Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(InstructionDatasetLoaderFuzzTest::jsonString),
                Arbitraries.integers().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "\"#### 72\"", "\"\"", "1e999", "-0"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> list = value(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]");
        return Arbitraries.frequencyOf(Tuple.of(8, scalar), Tuple.of(1, list), Tuple.of(1, record(depth - 1)));
    }

    private static Arbitrary<String> record(int depth) {
        Arbitrary<String> field = Combinators.combine(Arbitraries.of(FIELDS), value(depth))
                .as((k, v) -> "\"" + k + "\": " + v);
        return field.list().ofMaxSize(6).map(fs -> "{" + String.join(", ", fs) + "}");
    }

    /** One to eight records as a JSON array or as lines, sometimes cut short or with two records on a line. */
    @Provide
    Arbitrary<String> files() {
        Arbitrary<List<String>> records = record(2).list().ofMinSize(1).ofMaxSize(8);
        Arbitrary<String> joined = Combinators.combine(records, Arbitraries.integers().between(0, 3))
                .as((rs, layout) -> switch (layout) {
                    case 0 -> "[" + String.join(",\n", rs) + "]";
                    case 1 -> String.join("\n", rs) + "\n";
                    case 2 -> String.join(" ", rs);
                    default -> String.join("\r\n\n", rs);
                });
        return Combinators.combine(joined, Arbitraries.integers().between(0, 100), Arbitraries.of(true, false, false))
                .as((text, cut, truncate) -> truncate ? text.substring(0, text.length() * cut / 100) : text);
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
