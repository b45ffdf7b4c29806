/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.fuzz.ParserFuzz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the {@code .npy} reader ({@link Npy#read}, {@link Npy#readHeader} on every prefix, as chunks arrive, and
 * {@link Array#of}) with valid files that have one field mutated: magic, version, header length past the file,
 * unknown or big-endian dtypes, Fortran order, dimensions that are negative, huge or whose product overflows,
 * malformed header text, truncated or extended data. Every input is read or refused with a
 * {@link RecordException} that says what is wrong, within the time and allocation budget of {@link ParserFuzz}.
 */
class NpyFuzzTest {
    /** The ways a valid file is broken. */
    enum Mutation {
        NONE, MAGIC, VERSION, HEADER_LENGTH, DESCR, FORTRAN, SHAPE, SHAPE_OVERFLOW, HEADER_TEXT, TRUNCATE, APPEND,
        BYTE_FLIP, RANDOM_BYTES
    }

    /** A valid file (dtype, shape, data seed), the mutation and its parameters. */
    record Case(NumpyDType dtype, int[] shape, long seed, Mutation mutation, int which, long nasty) {
        @Override
        public String toString() {
            return "Case[" + dtype + " " + Arrays.toString(shape) + ", seed " + seed + ", " + mutation + ", which "
                    + which + ", nasty " + nasty + "]";
        }
    }

    @Property
    void readerReadsOrRefusesEveryMutatedFile(@ForAll("cases") Case c) {
        byte[] bytes = mutate(c);
        ParserFuzz.Outcome o = ParserFuzz.check(c::toString, bytes.length, () -> {
            Npy.Parsed p = Npy.read(bytes);
            assertThat(p.data().remaining()).isEqualTo((int) (Npy.numel(p.shape()) * p.dtype().itemSize()));
            Array.of(p.dtype().numpyName(), p.shape(), Array.STYPE_NUMPY, bytes);
        }, RecordException.class);
        if (c.mutation() == Mutation.NONE) {
            assertThat(o).as("valid file %s", c).isEqualTo(ParserFuzz.Outcome.ACCEPTED);
        }
        // As chunks arrive: a prefix either has too few bytes (null), a header, or is refused.
        int cut = c.which() % (bytes.length + 1);
        ParserFuzz.check(c::toString, cut, () -> Npy.readHeader(ByteBuffer.wrap(bytes, 0, cut), false),
                RecordException.class);
    }

    @Example
    void aHeaderDeclaringTerabytesFailsFastWithoutAllocating() {
        byte[] file = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }",
                new byte[16]);
        assertThat(ParserFuzz.refusal(() -> "2^40 floats", file.length, () -> Npy.read(file), RecordException.class))
                .contains("needs 4398046511104 bytes, found 16");
        assertThat(Npy.readHeader(ByteBuffer.wrap(file), false).fileLength()).isEqualTo(4398046511104L + 128);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(NumpyDType.class),
                Arbitraries.integers().between(0, 6).array(int[].class).ofMaxSize(4), Arbitraries.longs(),
                Arbitraries.of(Mutation.class), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.oneOf(Arbitraries.of(-1L, 0L, 1L, (long) Integer.MAX_VALUE, 1L << 31, 1L << 32,
                        1L << 40, Long.MAX_VALUE), Arbitraries.longs())).as(Case::new);
    }

    private static byte[] mutate(Case c) {
        Random rnd = new Random(c.seed() ^ c.which());
        byte[] data = new byte[(int) (Npy.numel(c.shape()) * c.dtype().itemSize())];
        rnd.nextBytes(data);
        byte[] valid = Npy.write(c.dtype(), c.shape(), data);
        String descr = c.dtype().descr();
        String shape = shapeText(c.shape());
        switch (c.mutation()) {
            case NONE -> {
                return valid;
            }
            case MAGIC -> {
                byte[] b = valid.clone();
                b[c.which() % 6] ^= (byte) (1 + rnd.nextInt(255));
                return b;
            }
            case VERSION -> {
                byte[] b = valid.clone();
                int[] versions = {0, 2, 3, 4, 255};
                b[6] = (byte) versions[c.which() % versions.length];
                return b;
            }
            case HEADER_LENGTH -> {
                byte[] b = valid.clone();
                ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                if (c.which() % 2 == 0) {
                    buf.putShort(8, (short) c.nasty());
                } else if (b.length >= 12) {
                    b[6] = 2;
                    buf.putInt(8, (int) c.nasty());
                }
                return b;
            }
            case DESCR -> {
                String[] descrs = {">f4", "<f16", "<c8", "|O", "<U3", "", "f4", "<f4'", "<V8", "=i8", "|b1", "<M8[s]"};
                return withHeader(header(descrs[c.which() % descrs.length], "False", shape), data);
            }
            case FORTRAN -> {
                String[] orders = {"True", "1", "None", "false"};
                return withHeader(header(descr, orders[c.which() % orders.length], shape), data);
            }
            case SHAPE -> {
                String[] shapes = {"(-1,)", "(" + c.nasty() + ",)", "(2147483648,)", "(3L, 4L)", "(1.5,)", "(a,)",
                    "(,,)", "(" + "1, ".repeat(c.which() % 200) + ")", "()", "(0, 99999)", "(99999999999999999999,)"};
                return withHeader(header(descr, "False", shapes[c.which() % shapes.length]), data);
            }
            case SHAPE_OVERFLOW -> {
                String[] shapes = {"(2147483647, 2147483647, 2147483647)", "(65536, 65536, 65536, 65536)",
                    "(2147483647, 2147483647, 4)", "(1073741824, 1073741824, 8, 0)"};
                return withHeader(header(descr, "False", shapes[c.which() % shapes.length]), data);
            }
            case HEADER_TEXT -> {
                String[] texts = {"{}", "", "{'descr': '<f4'}", "{'shape': (1,), 'fortran_order': False}",
                    "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape,
                    "'descr': '" + descr + "' 'fortran_order': False 'shape': (" + shape + ")",
                    "\u00ff\u00fe{'descr'", "{'descr': '" + "'".repeat(c.which() % 5000)};
                return withHeader(texts[c.which() % texts.length], data);
            }
            case TRUNCATE -> {
                return Arrays.copyOf(valid, c.which() % valid.length);
            }
            case APPEND -> {
                byte[] b = Arrays.copyOf(valid, valid.length + 1 + c.which() % 64);
                return b;
            }
            case BYTE_FLIP -> {
                byte[] b = valid.clone();
                b[c.which() % b.length] ^= (byte) (1 + rnd.nextInt(255));
                return b;
            }
            case RANDOM_BYTES -> {
                byte[] b = new byte[c.which() % 300];
                rnd.nextBytes(b);
                if (b.length >= 10 && c.which() % 2 == 0) {
                    System.arraycopy(valid, 0, b, 0, 8); // the magic and the version: the length is random
                }
                return b;
            }
            default -> throw new IllegalStateException(c.mutation().toString());
        }
    }

    private static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String header(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    }

    /** A version 1.0 file whose header is {@code text}, padded as NumPy pads it. */
    private static byte[] withHeader(String text, byte[] data) {
        int unpadded = 10 + text.length() + 1;
        String h = text + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] header = h.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header)
                .put(data);
        return out.array();
    }
}
