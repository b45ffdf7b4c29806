/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.fuzz.ParserFuzz;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes {@link SafetensorsReader} (with {@link SafetensorsHeader}) and the sharded {@link SafetensorsCheckpoint}
 * with valid files that have one field mutated: huge or negative offsets, overlapping tensors, shapes whose product
 * overflows, unknown dtypes, wrong JSON types, truncated bodies, header lengths past the file. Every input is either
 * read in full or refused with a {@link FedbiotException} that says what is wrong, within the time and allocation
 * budget of {@link ParserFuzz}. The number of cases is {@code fuzz.tries} (see docs/reliability.md).
 */
class SafetensorsFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static Path dir;

    /** One tensor of a generated file. */
    record TensorSpec(String name, DType dtype, int[] shape) {
        long bytes() {
            return Tensor.numel(shape) * dtype.bytes();
        }
    }

    /** A valid file: its tensors in data order, its metadata and the seed of its data bytes. */
    record FileSpec(List<TensorSpec> tensors, Map<String, String> metadata, long dataSeed) {}

    /** The ways a valid file is broken. */
    enum Mutation {
        NONE, OFFSET_BEGIN, OFFSET_END, OVERLAP, SHAPE_DIM, SHAPE_OVERFLOW, DTYPE, FIELD_TYPE, FIELD_MISSING,
        HUGE_NUMBER, METADATA, DUPLICATE_KEY, NOT_AN_OBJECT, DEEP_NESTING, HEADER_LENGTH, HEADER_BYTE, TRUNCATE,
        APPEND, RANDOM_BYTES
    }

    /** A generated input: the valid file, the mutation and its parameters. */
    record Case(FileSpec spec, Mutation mutation, int which, long nasty, int cut) {}

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("safetensors-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        ParserFuzz.deleteTree(dir);
    }

    @Property
    void readerReadsOrRefusesEveryMutatedFile(@ForAll("cases") Case c) throws IOException {
        byte[] bytes = mutate(c);
        Path f = dir.resolve("case.safetensors");
        Files.write(f, bytes);
        ParserFuzz.Outcome o = ParserFuzz.check(c::toString, bytes.length, () -> readEverything(f),
                FedbiotException.class);
        if (c.mutation() == Mutation.NONE) {
            assertThat(o).as("valid file %s", c).isEqualTo(ParserFuzz.Outcome.ACCEPTED);
        }
    }

    @Property
    void checkpointReadsOrRefusesEveryMutatedDirectory(@ForAll("shardedCases") ShardedCase c) throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        try (Stream<Path> s = Files.list(model)) {
            s.forEach(p -> p.toFile().delete());
        }
        long size = c.write(model);
        ParserFuzz.Outcome o = ParserFuzz.check(c::toString, size, () -> {
            try (SafetensorsCheckpoint cp = SafetensorsCheckpoint.open(model)) {
                for (String name : cp.names()) {
                    if (cp.dtype(name).isFloatingPoint()) {
                        cp.read(name);
                    } else {
                        cp.readLongs(name);
                    }
                }
            }
        }, FedbiotException.class);
        if (c.mutation() == ShardMutation.NONE) {
            assertThat(o).as("valid checkpoint %s", c).isEqualTo(ParserFuzz.Outcome.ACCEPTED);
        }
    }

    @Example
    void aDeclaredTerabyteFailsFastWithoutAllocating() throws IOException {
        Path f = dir.resolve("terabyte.safetensors");
        // A 2^40-byte header length, then a tensor declaring 2^40 bytes of data in a file of a few hundred bytes.
        Files.write(f, withHeaderLength(valid(new FileSpec(List.of(new TensorSpec("w", DType.F32, new int[] {2})),
                Map.of(), 1)), 1L << 40));
        assertRefused(f, "header length 1099511627776 is outside");
        ObjectNode h = NODES.objectNode();
        h.set("w", entry("F32", new long[] {1 << 20, 1 << 18}, 0, 1L << 40));
        Files.write(f, file(JSON.writeValueAsBytes(h), new byte[16]));
        assertRefused(f, "tensor 'w'", "lie outside the data section of 16 bytes");
    }

    private static void assertRefused(Path f, String... parts) throws IOException {
        assertThat(ParserFuzz.refusal(f::toString, Files.size(f), () -> readEverything(f), FedbiotException.class))
                .contains(parts);
    }

    private static void readEverything(Path f) {
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            for (String name : r.names()) {
                if (r.dtype(name).isFloatingPoint()) {
                    assertThat(r.read(name).shape()).isEqualTo(r.shape(name));
                } else {
                    r.readLongs(name);
                }
            }
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(files(), Arbitraries.of(Mutation.class), Arbitraries.integers().between(0, 1 << 20),
                nastyLongs(), Arbitraries.integers().between(0, 1 << 20)).as(Case::new);
    }

    static Arbitrary<FileSpec> files() {
        Arbitrary<int[]> shape = Arbitraries.integers().between(0, 5).array(int[].class).ofMaxSize(3);
        Arbitrary<TensorSpec> tensor = Combinators.combine(Arbitraries.strings().alpha().numeric().withChars(".-")
                .ofMinLength(1).ofMaxLength(12), Arbitraries.of(DType.class), shape).as(TensorSpec::new);
        Arbitrary<List<TensorSpec>> tensors = tensor.list().ofMaxSize(4).uniqueElements(TensorSpec::name);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(6),
                Arbitraries.strings().ofMaxLength(10)).ofMaxSize(2);
        return Combinators.combine(tensors, metadata, Arbitraries.longs()).as(FileSpec::new);
    }

    /** Values that break lengths and offsets: powers of two around 2^31, 2^40, 2^63, and their negatives. */
    static Arbitrary<Long> nastyLongs() {
        return Arbitraries.oneOf(Arbitraries.of(-1L, 0L, 1L, 7L, (long) Integer.MAX_VALUE, 1L << 31, 1L << 32,
                1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 7, -(1L << 40)),
                Arbitraries.longs());
    }

    // ------------------------------------------------------------------ building and mutating files

    static byte[] valid(FileSpec spec) {
        return file(headerText(spec, entries(spec)).getBytes(StandardCharsets.UTF_8), data(spec));
    }

    /** The header's entries by tensor name, with offsets that tile the data section in list order. */
    private static Map<String, ObjectNode> entries(FileSpec spec) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        long at = 0;
        for (TensorSpec t : spec.tensors()) {
            out.put(t.name(), entry(t.dtype().name(), Arrays.stream(t.shape()).asLongStream().toArray(), at,
                    at + t.bytes()));
            at += t.bytes();
        }
        return out;
    }

    private static ObjectNode entry(String dtype, long[] shape, long begin, long end) {
        ObjectNode e = NODES.objectNode();
        e.put("dtype", dtype);
        ArrayNode s = e.putArray("shape");
        Arrays.stream(shape).forEach(s::add);
        e.putArray("data_offsets").add(begin).add(end);
        return e;
    }

    /** Writes the header as text, entry by entry, so that a key may repeat. */
    private static String headerText(FileSpec spec, Map<String, ObjectNode> entries) {
        List<String> parts = new ArrayList<>();
        if (!spec.metadata().isEmpty()) {
            parts.add("\"__metadata__\":" + json(JSON.valueToTree(spec.metadata())));
        }
        entries.forEach((k, v) -> parts.add(json(NODES.textNode(k)) + ":" + json(v)));
        return "{" + String.join(",", parts) + "}";
    }

    private static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] data(FileSpec spec) {
        long n = spec.tensors().stream().mapToLong(TensorSpec::bytes).sum();
        byte[] b = new byte[(int) n];
        new Random(spec.dataSeed()).nextBytes(b);
        return b;
    }

    static byte[] file(byte[] header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] withHeaderLength(byte[] file, long length) {
        byte[] out = file.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return out;
    }

    static byte[] mutate(Case c) {
        FileSpec spec = c.spec();
        Map<String, ObjectNode> entries = entries(spec);
        List<String> names = new ArrayList<>(entries.keySet());
        ObjectNode target = names.isEmpty() ? null : entries.get(names.get(c.which() % names.size()));
        Random rnd = new Random(c.nasty() ^ c.which());
        byte[] valid = valid(spec);
        switch (c.mutation()) {
            case NONE -> {
                return valid;
            }
            case HEADER_LENGTH -> {
                long len = switch (c.cut() % 4) {
                    case 0 -> c.nasty();
                    case 1 -> valid.length - 8 + 1; // one byte past the file
                    case 2 -> c.cut() % 2;
                    default -> valid.length - 8 - Math.max(1, c.cut() % Math.max(1, valid.length - 8));
                };
                return withHeaderLength(valid, len);
            }
            case HEADER_BYTE -> {
                byte[] b = valid.clone();
                int header = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                b[8 + c.which() % header] = (byte) rnd.nextInt(256);
                return b;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(valid, c.cut() % valid.length);
            }
            case APPEND -> {
                byte[] extra = new byte[1 + c.cut() % 64];
                rnd.nextBytes(extra);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.writeBytes(valid);
                o.writeBytes(extra);
                return o.toByteArray();
            }
            case RANDOM_BYTES -> {
                byte[] b = new byte[c.cut() % 512];
                rnd.nextBytes(b);
                if (b.length >= 8 && c.which() % 2 == 0) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, b.length - 8);
                }
                return b;
            }
            case NOT_AN_OBJECT -> {
                String[] texts = {"[]", "\"x\"", "null", "42", "{", "{}", "{\"a\":1} {}", "  ", "{\"a\":null}"};
                return file(texts[c.which() % texts.length].getBytes(StandardCharsets.UTF_8), data(spec));
            }
            case DEEP_NESTING -> {
                int depth = 1000 + c.cut() % 20_000;
                String text = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
                return file(text.getBytes(StandardCharsets.UTF_8), data(spec));
            }
            case DUPLICATE_KEY -> {
                if (target != null) {
                    String text = headerText(spec, entries);
                    String dup = json(NODES.textNode(names.get(0))) + ":" + json(entries.get(names.get(0)));
                    text = text.substring(0, text.length() - 1) + "," + dup + "}";
                    return file(text.getBytes(StandardCharsets.UTF_8), data(spec));
                }
                return file("{\"__metadata__\":{},\"__metadata__\":{}}".getBytes(StandardCharsets.UTF_8), new byte[0]);
            }
            case METADATA -> {
                ObjectNode h = JSON.createObjectNode();
                Object[] bad = {1, NODES.arrayNode().add("x"), NODES.objectNode().put("k", 1), NODES.nullNode(), "s"};
                Object v = bad[c.which() % bad.length];
                h.set("__metadata__", v instanceof Integer i ? NODES.numberNode(i) : v instanceof String s
                        ? NODES.textNode(s) : (com.fasterxml.jackson.databind.JsonNode) v);
                entries.forEach(h::set);
                return file(JSON.valueToTree(h).toString().getBytes(StandardCharsets.UTF_8), data(spec));
            }
            default -> {
                if (target == null) {
                    return valid; // a file without tensors has no field to break
                }
                mutateEntry(c, target, entries, names, rnd);
                return file(headerText(spec, entries).getBytes(StandardCharsets.UTF_8), data(spec));
            }
        }
    }

    private static void mutateEntry(Case c, ObjectNode target, Map<String, ObjectNode> entries, List<String> names,
            Random rnd) {
        ArrayNode offsets = (ArrayNode) target.get("data_offsets");
        ArrayNode shape = (ArrayNode) target.get("shape");
        String[] fields = {"dtype", "shape", "data_offsets"};
        switch (c.mutation()) {
            case OFFSET_BEGIN -> offsets.set(0, NODES.numberNode(c.nasty()));
            case OFFSET_END -> offsets.set(1, NODES.numberNode(c.nasty()));
            case OVERLAP -> {
                ObjectNode other = entries.get(names.get(c.cut() % names.size()));
                long shift = c.cut() % 5 - 2;
                offsets.set(0, NODES.numberNode(Math.max(0, other.get("data_offsets").get(0).asLong() + shift)));
                offsets.set(1, NODES.numberNode(Math.max(0, other.get("data_offsets").get(1).asLong() + shift)));
            }
            case SHAPE_DIM -> {
                if (shape.isEmpty()) {
                    shape.add(c.nasty());
                } else {
                    shape.set(c.cut() % shape.size(), NODES.numberNode(c.nasty()));
                }
            }
            case SHAPE_OVERFLOW -> {
                long[][] shapes = {{65536, 65536, 65536, 65536}, {Integer.MAX_VALUE, Integer.MAX_VALUE,
                    Integer.MAX_VALUE}, {1 << 30, 1 << 30, 16}, {Integer.MAX_VALUE, 4}, {3, 0, Integer.MAX_VALUE}};
                target.remove("shape");
                ArrayNode s = target.putArray("shape");
                Arrays.stream(shapes[c.cut() % shapes.length]).forEach(s::add);
                target.set("data_offsets", target.remove("data_offsets")); // keep the field order dtype, shape, offsets
            }
            case DTYPE -> {
                String[] dtypes = {"F8_E4M3", "U8", "BOOL", "", "f32", "F32 ", "I16", "C64", "\u0000"};
                target.put("dtype", dtypes[c.cut() % dtypes.length]);
            }
            case FIELD_TYPE -> {
                String field = fields[c.cut() % fields.length];
                com.fasterxml.jackson.databind.JsonNode[] wrong = {NODES.textNode("1"), NODES.numberNode(1.5),
                    NODES.objectNode(), NODES.arrayNode().add("a").add("b"), NODES.nullNode(), NODES.booleanNode(true),
                    NODES.arrayNode().add(1.5).add(2), NODES.arrayNode().add(1), NODES.arrayNode().add(0).add(4).add(8)};
                target.set(field, wrong[c.which() % wrong.length]);
            }
            case FIELD_MISSING -> target.remove(fields[c.cut() % fields.length]);
            case HUGE_NUMBER -> {
                BigInteger huge = BigInteger.TWO.pow(64 + c.cut() % 200);
                if (c.which() % 2 == 0) {
                    offsets.set(1, NODES.numberNode(huge));
                } else if (!shape.isEmpty()) {
                    shape.set(0, NODES.numberNode(huge.negate()));
                } else {
                    offsets.set(0, NODES.numberNode(new java.math.BigDecimal("1e400")));
                }
            }
            default -> throw new IllegalStateException(c.mutation().toString());
        }
        // Some mutations are also tried with the tensor's declared bytes made to agree with the broken shape.
        if (rnd.nextInt(4) == 0 && c.mutation() == Mutation.SHAPE_DIM) {
            offsets.set(1, NODES.numberNode(offsets.get(0).asLong() + c.nasty() * 4));
        }
    }

    // ------------------------------------------------------------------ sharded checkpoints

    /** The ways a valid sharded checkpoint is broken. */
    enum ShardMutation {
        NONE, SINGLE_FILE, MISSING_SHARD, OUTSIDE_PATH, ABSOLUTE_PATH, EMPTY_NAME, NOT_A_STRING, WRONG_SHARD,
        UNLISTED_TENSOR, LISTED_TWICE, IN_TWO_SHARDS, EMPTY_MAP, NOT_JSON, NOT_AN_OBJECT, CORRUPT_SHARD,
        INDEX_IS_SHARD, SHARD_IS_DIRECTORY
    }

    /** A generated checkpoint: two to three shards of valid files, a mutation, and a shard's corruption. */
    record ShardedCase(List<FileSpec> shards, ShardMutation mutation, int which, Mutation corruption, long nasty,
            int cut) {
        long write(Path model) throws IOException {
            List<byte[]> files = new ArrayList<>();
            shards.forEach(s -> files.add(valid(s)));
            ObjectNode map = NODES.objectNode();
            for (int i = 0; i < shards.size(); i++) {
                for (TensorSpec t : shards.get(i).tensors()) {
                    map.put(t.name(), shardName(i));
                }
            }
            List<String> names = new ArrayList<>();
            map.fieldNames().forEachRemaining(names::add);
            String victim = names.isEmpty() ? "x" : names.get(which % names.size());
            String index = null;
            switch (mutation) {
                case NONE, CORRUPT_SHARD, SINGLE_FILE, SHARD_IS_DIRECTORY -> { }
                case MISSING_SHARD -> map.put(victim, "model-00009-of-00009.safetensors");
                case OUTSIDE_PATH -> map.put(victim, "../" + shardName(0));
                case ABSOLUTE_PATH -> map.put(victim, model.resolve(shardName(0)).toAbsolutePath().toString());
                case EMPTY_NAME -> map.put(victim, "");
                case NOT_A_STRING -> map.put(victim, 3);
                case WRONG_SHARD -> map.put(victim, shardName((which + 1) % shards.size()));
                case UNLISTED_TENSOR -> map.remove(victim);
                case LISTED_TWICE -> map.put(victim + "_ghost", shardName(which % shards.size()));
                case IN_TWO_SHARDS -> {
                    if (!names.isEmpty()) {
                        int from = owner(victim);
                        FileSpec copy = shards.get(from);
                        int to = (from + 1) % shards.size();
                        List<TensorSpec> both = new ArrayList<>(shards.get(to).tensors());
                        both.removeIf(t -> t.name().equals(victim));
                        both.add(copy.tensors().stream().filter(t -> t.name().equals(victim)).findFirst().orElseThrow());
                        files.set(to, valid(new FileSpec(both, Map.of(), which)));
                    }
                }
                case EMPTY_MAP -> map.removeAll();
                case NOT_JSON -> index = "{\"weight_map\": {";
                case NOT_AN_OBJECT -> index = which % 2 == 0 ? "[]" : "{\"weight_map\": [1, 2]}";
                case INDEX_IS_SHARD -> map.put(victim, SafetensorsCheckpoint.INDEX_FILE);
                default -> throw new IllegalStateException(mutation.toString());
            }
            if (mutation == ShardMutation.CORRUPT_SHARD) {
                int i = which % shards.size();
                files.set(i, mutate(new Case(shards.get(i), corruption, which, nasty, cut)));
            }
            long size = 0;
            for (int i = 0; i < files.size(); i++) {
                if (mutation == ShardMutation.SHARD_IS_DIRECTORY && i == which % files.size()) {
                    Files.createDirectories(model.resolve(shardName(i)));
                    continue;
                }
                Files.write(model.resolve(shardName(i)), files.get(i));
                size += files.get(i).length;
            }
            if (mutation == ShardMutation.SINGLE_FILE) {
                Files.write(model.resolve(SafetensorsCheckpoint.SINGLE_FILE), files.get(0));
            }
            byte[] indexBytes = (index != null ? index : "{\"metadata\": {}, \"weight_map\": " + map + "}")
                    .getBytes(StandardCharsets.UTF_8);
            Files.write(model.resolve(SafetensorsCheckpoint.INDEX_FILE), indexBytes);
            return size + indexBytes.length;
        }

        private int owner(String tensor) {
            for (int i = 0; i < shards.size(); i++) {
                if (shards.get(i).tensors().stream().anyMatch(t -> t.name().equals(tensor))) {
                    return i;
                }
            }
            throw new IllegalStateException(tensor);
        }

        private static String shardName(int i) {
            return String.format("model-%05d-of-%05d.safetensors", i + 1, 3);
        }
    }

    @Provide
    Arbitrary<ShardedCase> shardedCases() {
        // Tensor names unique across shards: each shard's names get the shard's prefix.
        Arbitrary<List<FileSpec>> shards = files().list().ofMinSize(2).ofMaxSize(3).map(list -> {
            List<FileSpec> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String prefix = "s" + i + ".";
                out.add(new FileSpec(list.get(i).tensors().stream().map(t -> new TensorSpec(prefix + t.name(),
                        t.dtype(), t.shape())).toList(), list.get(i).metadata(), list.get(i).dataSeed()));
            }
            return out;
        }).filter(list -> list.stream().anyMatch(f -> !f.tensors().isEmpty())); // an empty weight_map is refused
        return Combinators.combine(shards, Arbitraries.of(ShardMutation.class), Arbitraries.integers().between(0, 1000),
                Arbitraries.of(Mutation.class), nastyLongs(), Arbitraries.integers().between(0, 1 << 20))
                .as(ShardedCase::new);
    }
}
