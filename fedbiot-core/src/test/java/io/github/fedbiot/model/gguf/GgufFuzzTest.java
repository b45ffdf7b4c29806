/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.fuzz.ParserFuzz;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
 * Fuzzes {@link GgufReader}, {@link GgufFile}'s tensor access and dequantisation, and the LLaMA readers on top of
 * them ({@link GgufModelSpec}, {@link GgufToHuggingFace#weights}, {@link GgufTokenizerJson}) with valid files that
 * have one field mutated: bad magic or version, tensor and key counts of 2^60, huge string and array lengths,
 * unknown value and ggml types, misaligned, huge or overlapping offsets, dimensions that overflow, truncation, and
 * for LLaMA files wrong metadata, tensor names and shapes. Every input is read in full or refused with a
 * {@link FedbiotException} that says what is wrong, within the time and allocation budget of {@link ParserFuzz}.
 */
class GgufFuzzTest {
    private static final GgmlType[] DATA_TYPES = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0,
        GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
        GgmlType.I8, GgmlType.I32, GgmlType.Q2_K, GgmlType.F64};
    /** Mutations that leave no valid file, so that accepting one is a silent wrong result. */
    private static final Set<Mutation> ALWAYS_BROKEN = EnumSet.of(Mutation.MAGIC, Mutation.VERSION,
            Mutation.BOOL_BYTE, Mutation.BAD_UTF8, Mutation.DUPLICATE_KEY, Mutation.DUPLICATE_TENSOR,
            Mutation.GGML_TYPE, Mutation.DIM_COUNT, Mutation.LLAMA_TENSOR_NAME, Mutation.LLAMA_SHAPE);
    private static Path dir;

    /** One metadata entry: key, type and the seed of its value. */
    record Kv(String key, GgufValueType type, long seed) {}

    /** One tensor: type, number of blocks of the innermost dimension, outer dimensions, data seed. */
    record TensorSpec(GgmlType type, int blocks, int[] outer, long seed) {}

    /** A valid file: a LLaMA model or generic metadata and tensors. */
    record FileSpec(boolean llama, int hiddenChoice, List<Kv> kvs, List<TensorSpec> tensors) {}

    /** The ways a valid file is broken. */
    enum Mutation {
        NONE, MAGIC, VERSION, TENSOR_COUNT, KV_COUNT, KEY_LENGTH, STRING_LENGTH, ARRAY_LENGTH, DEEP_ARRAY,
        VALUE_TYPE, BOOL_BYTE, BAD_UTF8, DUPLICATE_KEY, DUPLICATE_TENSOR, GGML_TYPE, DIMS, DIM_COUNT, OFFSET,
        ALIGNMENT, TRUNCATE, BYTE_FLIP, PATCH_U64, RANDOM_BYTES, LLAMA_METADATA, LLAMA_TENSOR_NAME, LLAMA_SHAPE,
        LLAMA_TOKENIZER
    }

    /** A generated input. */
    record Case(FileSpec spec, Mutation mutation, int which, long nasty, int cut) {}

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("gguf-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        ParserFuzz.deleteTree(dir);
    }

    @Property
    void readerReadsOrRefusesEveryMutatedFile(@ForAll("cases") Case c) throws IOException {
        byte[] bytes = build(c);
        Path f = dir.resolve("case.gguf");
        Files.write(f, bytes);
        ParserFuzz.Outcome o = ParserFuzz.check(c::toString, bytes.length, () -> readEverything(f),
                FedbiotException.class);
        if (c.mutation() == Mutation.NONE) {
            assertThat(o).as("valid file %s", c).isEqualTo(ParserFuzz.Outcome.ACCEPTED);
        } else if (ALWAYS_BROKEN.contains(c.mutation())) {
            assertThat(o).as("broken file %s", c).isEqualTo(ParserFuzz.Outcome.REFUSED);
        }
    }

    @Example
    void declaredHugeCountsAndLengthsFailFastWithoutAllocating() throws IOException {
        Path f = dir.resolve("huge.gguf");
        GgufBytes counts = new GgufBytes().kvString("general.name", "x");
        counts.tensorCountOverride = 1L << 60;
        assertRefused(f, counts.build(), "tensor_count 1152921504606846976 cannot fit");
        byte[] key = new GgufBytes().kvString("general.name", "x").build();
        ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 1L << 40);
        assertRefused(f, key, "string of 1099511627776 bytes at offset 24 runs past the end of the file");
        byte[] array = new GgufBytes().kv("a", GgufValueType.ARRAY.id(), concat(GgufBytes.u32(GgufValueType.UINT8.id()),
                GgufBytes.u64(1L << 40))).build();
        assertRefused(f, array, "array length 1099511627776 cannot fit");
        GgufBytes tensor = new GgufBytes();
        tensor.tensor("w", GgmlType.F32, new byte[32], 1L << 20, 1L << 20);
        assertRefused(f, tensor.build(), "tensor 'w'", "run past the end of the file");
    }

    private static void assertRefused(Path f, byte[] bytes, String... parts) throws IOException {
        Files.write(f, bytes);
        assertThat(ParserFuzz.refusal(f::toString, bytes.length, () -> readEverything(f), FedbiotException.class))
                .contains(parts);
    }

    /** Reads what a user's conversion reads: every tensor, and for a LLaMA file its spec, weights and tokenizer. */
    private static void readEverything(Path f) {
        try (GgufFile g = GgufReader.open(f)) {
            for (GgufTensorInfo t : g.tensors().values()) {
                if (t.type().isDequantizable()) {
                    assertThat(g.dequantize(t.name()).shape()).isEqualTo(t.shape());
                } else {
                    assertThat((long) g.rawData(t.name()).remaining()).isEqualTo(t.byteSize());
                }
            }
            if (g.has("general.architecture")) {
                var spec = GgufModelSpec.from(g);
                GgufToHuggingFace.weights(g, spec);
                if (g.has("tokenizer.ggml.model")) {
                    GgufTokenizerJson.build(g);
                    GgufTokenizerJson.config(g, spec.maxPositions());
                }
            }
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Kv> kv = Combinators.combine(Arbitraries.strings().alpha().withChars("._").ofMinLength(1)
                .ofMaxLength(16), Arbitraries.of(GgufValueType.class), Arbitraries.longs()).as(Kv::new);
        Arbitrary<TensorSpec> tensor = Combinators.combine(Arbitraries.of(DATA_TYPES), Arbitraries.integers()
                .between(1, 3), Arbitraries.integers().between(1, 3).array(int[].class).ofMaxSize(2),
                Arbitraries.longs()).as(TensorSpec::new);
        Arbitrary<FileSpec> files = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers()
                .between(0, 3), kv.list().ofMaxSize(5).uniqueElements(Kv::key), tensor.list().ofMaxSize(3))
                .as(FileSpec::new);
        Arbitrary<Long> nasty = Arbitraries.oneOf(Arbitraries.of(-1L, 0L, 1L, 3L, 31L, 33L, (long) Integer.MAX_VALUE,
                1L << 31, 1L << 32, 1L << 40, 1L << 60, Long.MAX_VALUE, Long.MIN_VALUE), Arbitraries.longs());
        return Combinators.combine(files, Arbitraries.of(Mutation.class), Arbitraries.integers().between(0, 1 << 20),
                nasty, Arbitraries.integers().between(0, 1 << 20)).as(Case::new);
    }

    // ------------------------------------------------------------------ building and mutating files

    static byte[] build(Case c) {
        Random rnd = new Random(c.nasty() * 31 + c.which());
        Mutation m = c.mutation();
        if (m == Mutation.RANDOM_BYTES) {
            byte[] b = new byte[c.cut() % 600];
            rnd.nextBytes(b);
            if (b.length >= 8 && c.which() % 2 == 0) {
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, GgufReader.MAGIC).putInt(4, 3);
            }
            return b;
        }
        GgufBytes g = c.spec().llama() || m.name().startsWith("LLAMA") ? llama(c, rnd) : generic(c.spec(), rnd);
        switch (m) {
            case MAGIC -> g.magic = (int) c.nasty() == GgufReader.MAGIC ? 0 : (int) c.nasty();
            case VERSION -> {
                int[] versions = {0, 1, 4, 2 << 24, 3 << 24, -1, (int) c.nasty()};
                g.version = versions[c.cut() % versions.length];
                if (g.version == 2 || g.version == 3) {
                    g.version = 7;
                }
            }
            case TENSOR_COUNT -> g.tensorCountOverride = c.which() % 2 == 0 ? c.nasty() : g.tensorCount() + 1;
            case KV_COUNT -> g.kvCountOverride = c.which() % 2 == 0 ? c.nasty() : g.kvCount() + 1 + c.cut() % 3;
            case KEY_LENGTH -> g.kv("k", GgufValueType.UINT8.id(), new byte[] {1}).patchKeyLength(c.nasty());
            case STRING_LENGTH -> g.kv("s", GgufValueType.STRING.id(), concat(GgufBytes.u64(c.nasty()),
                    "abc".getBytes(StandardCharsets.UTF_8)));
            case ARRAY_LENGTH -> g.kv("arr", GgufValueType.ARRAY.id(), concat(GgufBytes.u32(
                    GgufValueType.values()[c.cut() % GgufValueType.values().length].id()), GgufBytes.u64(c.nasty()),
                    new byte[c.cut() % 16]));
            case DEEP_ARRAY -> {
                int depth = 1 + c.cut() % 40;
                byte[] v = concat(GgufBytes.u32(GgufValueType.UINT8.id()), GgufBytes.u64(0));
                for (int i = 1; i < depth; i++) {
                    v = concat(GgufBytes.u32(GgufValueType.ARRAY.id()), GgufBytes.u64(1), v);
                }
                g.kv("deep", GgufValueType.ARRAY.id(), v);
            }
            case VALUE_TYPE -> g.kv("t", 13 + (int) Math.floorMod(c.nasty(), 1000L) * (c.cut() % 2 == 0 ? 1 : 1 << 20),
                    new byte[8]);
            case BOOL_BYTE -> g.kv("b", GgufValueType.BOOL.id(), new byte[] {(byte) (2 + c.cut() % 250)});
            case BAD_UTF8 -> g.kv("bad", GgufValueType.STRING.id(), concat(GgufBytes.u64(2), new byte[] {(byte) 0xC3,
                    (byte) 0x28}));
            case DUPLICATE_KEY -> g.kvU32("dup", 1).kvU32("dup", 2);
            case DUPLICATE_TENSOR -> {
                g.f32("twin", 2);
                g.f32("twin", 2);
            }
            case GGML_TYPE -> {
                int[] unknown = {4, 5, 31, 32, 33, 36, 37, 38, 40, 41, 255, 1 << 16, -1, (int) c.nasty()};
                int id = unknown[c.cut() % unknown.length];
                g.tensor("odd", GgmlType.fromId(id & 0xFFFFFFFFL) != null ? 31 : id, new byte[32], 8);
            }
            case DIMS -> {
                long[][] dims = {{0}, {c.nasty()}, {1L << 32, 1L << 32, 1L << 32}, {33}, {Long.MAX_VALUE},
                    {1L << 40, 1L << 40}, {4, 0}, {Integer.MAX_VALUE + 1L, 2}};
                g.tensor("dims", c.which() % 2 == 0 ? GgmlType.F32 : GgmlType.Q8_0, new byte[64],
                        dims[c.cut() % dims.length]);
            }
            case DIM_COUNT -> g.tensor("rank", GgmlType.F32, new byte[64], c.cut() % 2 == 0 ? new long[0]
                    : new long[] {1, 1, 1, 1, 1});
            case OFFSET -> {
                GgufBytes.Tensor t = g.f32("off", 4);
                long[] offsets = {c.nasty(), 1, 31, 33, -32, 0, 1L << 40, Long.MAX_VALUE & ~31L};
                t.offsetOverride = offsets[c.cut() % offsets.length];
            }
            case ALIGNMENT -> {
                long[] alignments = {0, 3, 48, 1L << 31, 1L << 30, 4294967295L, c.nasty() & 0xFFFFFFFFL};
                if (c.which() % 3 == 0) {
                    g.kvString(GgufReader.ALIGNMENT_KEY, "32");
                } else {
                    g.kvU32(GgufReader.ALIGNMENT_KEY, alignments[c.cut() % alignments.length]);
                }
            }
            case LLAMA_METADATA, LLAMA_TENSOR_NAME, LLAMA_SHAPE, LLAMA_TOKENIZER, NONE, TRUNCATE, BYTE_FLIP,
                PATCH_U64 -> { } // done in llama(), or on the bytes below
            default -> throw new IllegalStateException(m.toString());
        }
        byte[] bytes = g.build();
        switch (m) {
            case TRUNCATE -> {
                return Arrays.copyOf(bytes, c.cut() % bytes.length);
            }
            case BYTE_FLIP -> {
                bytes[c.which() % bytes.length] ^= (byte) (1 + rnd.nextInt(255));
                return bytes;
            }
            case PATCH_U64 -> {
                int at = c.which() % Math.max(1, bytes.length - 8);
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, c.nasty());
                return bytes;
            }
            default -> {
                return bytes;
            }
        }
    }

    /** A file of arbitrary metadata and tensors of many ggml types. */
    private static GgufBytes generic(FileSpec spec, Random rnd) {
        GgufBytes g = new GgufBytes();
        for (Kv kv : spec.kvs()) {
            if (!kv.key().equals(GgufReader.ALIGNMENT_KEY) && !kv.key().equals("general.architecture")) {
                g.kv(kv.key(), kv.type().id(), value(kv.type(), new Random(kv.seed()), 0));
            }
        }
        for (int i = 0; i < spec.tensors().size(); i++) {
            TensorSpec t = spec.tensors().get(i);
            long[] dims = new long[1 + t.outer().length];
            dims[0] = (long) t.blocks() * t.type().blockSize();
            long count = dims[0];
            for (int d = 0; d < t.outer().length; d++) {
                dims[d + 1] = t.outer()[d];
                count *= t.outer()[d];
            }
            byte[] data = new byte[(int) t.type().byteSize(count)];
            Random r = new Random(t.seed());
            // Random low bytes, zero high bytes: every float and every block scale stays finite, so a valid file
            // is valid (the reader refuses a NaN or infinite scale); the mutations break the rest.
            for (int b = 0; b < data.length; b += 2) {
                data[b] = (byte) r.nextInt();
            }
            g.tensor("t" + i, t.type(), data, dims);
        }
        return g;
    }

    /** Encodes a value of a type from a seed; arrays hold up to four elements and nest up to twice. */
    private static byte[] value(GgufValueType type, Random r, int depth) {
        return switch (type) {
            case UINT8, INT8 -> new byte[] {(byte) r.nextInt()};
            case UINT16, INT16 -> ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) r.nextInt())
                    .array();
            case UINT32, INT32, FLOAT32 -> GgufBytes.u32(r.nextInt());
            case UINT64, INT64, FLOAT64 -> GgufBytes.u64(r.nextLong());
            case BOOL -> new byte[] {(byte) r.nextInt(2)};
            case STRING -> GgufBytes.string(Long.toString(r.nextLong(), 36));
            case ARRAY -> {
                GgufValueType elem = GgufValueType.values()[r.nextInt(GgufValueType.values().length)];
                if (elem == GgufValueType.ARRAY && depth >= 2) {
                    elem = GgufValueType.UINT8;
                }
                int n = r.nextInt(5);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.writeBytes(GgufBytes.u32(elem.id()));
                o.writeBytes(GgufBytes.u64(n));
                for (int i = 0; i < n; i++) {
                    o.writeBytes(value(elem, r, depth + 1));
                }
                yield o.toByteArray();
            }
        };
    }

    /**
     * A 1-layer LLaMA of F32, F16 or BF16 tensors (width 4, 2 heads, {@code hiddenChoice} picks 1 or 2 KV heads and
     * a tied or separate head), with one field of its metadata, tensor names, shapes or tokenizer broken when the
     * case's mutation says so.
     */
    private static GgufBytes llama(Case c, Random rnd) {
        Mutation m = c.mutation();
        int kvHeads = 1 + c.spec().hiddenChoice() % 2;
        boolean tied = c.spec().hiddenChoice() >= 2;
        List<Object[]> meta = new ArrayList<>(List.of(new Object[] {"llama.block_count", 1L},
                new Object[] {"llama.embedding_length", 4L}, new Object[] {"llama.feed_forward_length", 8L},
                new Object[] {"llama.attention.head_count", 2L}, new Object[] {"llama.attention.head_count_kv",
                    (long) kvHeads}, new Object[] {"llama.context_length", 16L}));
        if (m == Mutation.LLAMA_METADATA) {
            Object[] victim = meta.get(c.which() % meta.size());
            long[] values = {0, -1, 3, 5, 1L << 31, 4294967295L, 1_000_000_000, c.nasty()};
            victim[1] = values[c.cut() % values.length];
        }
        GgufBytes g = new GgufBytes().kvString("general.architecture", "llama");
        for (Object[] kv : meta) {
            long v = (Long) kv[1];
            if (v >= 0 && v <= 0xFFFFFFFFL) {
                g.kvU32((String) kv[0], v);
            } else {
                g.kv((String) kv[0], GgufValueType.INT64.id(), GgufBytes.u64(v));
            }
        }
        g.kvF32("llama.attention.layer_norm_rms_epsilon", 1e-6f);
        if (m == Mutation.LLAMA_METADATA && c.cut() % 5 == 0) {
            String[] extra = {"llama.attention.key_length", "llama.attention.value_length", "llama.rope.dimension_count",
                "llama.vocab_size"};
            g.kvU32(extra[c.which() % extra.length], 1 + c.nasty() % 5 & 0xFF);
        }
        List<String> tokens = new ArrayList<>(List.of("a", "b", "ab", "<s>"));
        List<String> merges = new ArrayList<>(List.of("a b"));
        long bos = 3;
        if (m == Mutation.LLAMA_TOKENIZER) {
            switch (c.cut() % 5) {
                case 0 -> tokens.set(1, "a");
                case 1 -> merges.add(c.which() % 2 == 0 ? "ab" : "x y");
                case 2 -> bos = c.nasty();
                case 3 -> g.kvI32s("tokenizer.ggml.token_type", 1, 1);
                default -> g.kvString("tokenizer.ggml.model", "llama");
            }
        }
        g.kvString("tokenizer.ggml.model", "gpt2");
        g.kvStrings("tokenizer.ggml.tokens", tokens);
        g.kvStrings("tokenizer.ggml.merges", merges);
        g.kv("tokenizer.ggml.add_bos_token", GgufValueType.BOOL.id(), new byte[] {1});
        g.kv("tokenizer.ggml.bos_token_id", GgufValueType.INT64.id(), GgufBytes.u64(bos));
        List<String> names = new ArrayList<>(List.of("token_embd.weight:4,4", "output_norm.weight:4",
                "blk.0.attn_norm.weight:4", "blk.0.ffn_norm.weight:4", "blk.0.attn_q.weight:4,4",
                "blk.0.attn_k.weight:" + 2 * kvHeads + ",4", "blk.0.attn_v.weight:" + 2 * kvHeads + ",4",
                "blk.0.attn_output.weight:4,4", "blk.0.ffn_gate.weight:8,4", "blk.0.ffn_up.weight:8,4",
                "blk.0.ffn_down.weight:4,8"));
        if (!tied) {
            names.add("output.weight:4,4");
        }
        int victim = c.which() % names.size();
        GgmlType[] floats = {GgmlType.F32, GgmlType.F16, GgmlType.BF16};
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String name = n.substring(0, n.indexOf(':'));
            long[] shape = Arrays.stream(n.substring(n.indexOf(':') + 1).split(",")).mapToLong(Long::parseLong)
                    .toArray();
            if (i == victim && m == Mutation.LLAMA_TENSOR_NAME) {
                String[] renames = {"blk.99999999999.attn_q.weight", "blk.00.attn_norm.weight", "blk.1.attn_q.weight",
                    "blk.0.attn_qkv.weight", "token_embd.bias", "rope_freqs.weight", "blk.-1.attn_q.weight",
                    "blk.2147483648.ffn_up.weight"};
                String rename = renames[c.cut() % renames.length];
                name = c.nasty() % 2 == 0 ? rename : name;
                if (!name.equals(rename)) {
                    addTensor(g, rename, floats[0], new long[] {4}, rnd); // an extra tensor beside the right ones
                }
            }
            if (i == victim && m == Mutation.LLAMA_SHAPE) {
                shape = shape.length == 2 && c.cut() % 2 == 0 ? new long[] {shape[1], shape[0] + 1}
                        : new long[] {shape[0], 2, 2};
            }
            long[] dims = new long[shape.length];
            for (int d = 0; d < shape.length; d++) {
                dims[d] = shape[shape.length - 1 - d];
            }
            addTensor(g, name, floats[(c.spec().hiddenChoice() + i) % floats.length], dims, rnd);
        }
        return g;
    }

    private static void addTensor(GgufBytes g, String name, GgmlType type, long[] dims, Random rnd) {
        long count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        byte[] data = new byte[(int) type.byteSize(count)];
        for (int i = 0; i < data.length; i += 2) {
            data[i] = (byte) rnd.nextInt(); // low bytes only: finite, small values in every float type
        }
        g.tensor(name, type, data, dims);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
