/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 to 3.0), the bytes Flower keeps in
 * {@code Array.data} ({@code np.save(buffer, ndarray, allow_pickle=False)}).
 *
 * <p>Written files are byte-identical to NumPy's: version 1.0, header padded with spaces to a multiple of 64
 * bytes and ended by a newline. Only C-order, little-endian arrays of a {@link NumpyDType} are accepted.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * A parsed {@code .npy} file.
     *
     * @param dtype the element type
     * @param shape the dimensions
     * @param data the raw little-endian C-order elements (a read-only view into the file bytes)
     */
    public record Parsed(NumpyDType dtype, int[] shape, ByteBuffer data) {}

    /**
     * Writes a {@code .npy} file.
     *
     * @param dtype the element type
     * @param shape the dimensions
     * @param data the raw little-endian C-order elements, {@code product(shape) * itemSize} bytes
     * @return the file bytes
     * @throws IllegalArgumentException if the data length does not match the shape
     */
    public static byte[] write(NumpyDType dtype, int[] shape, byte[] data) {
        long expected = numel(shape) * dtype.itemSize();
        if (expected != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype.numpyName()
                    + " needs " + expected + " bytes, got " + data.length);
        }
        StringBuilder h = new StringBuilder("{'descr': '").append(dtype.descr())
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            h.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        h.append(shape.length == 1 ? ",), }" : "), }");
        int unpadded = MAGIC.length + 2 + 2 + h.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        h.append(" ".repeat(pad)).append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header).put(data);
        return out.array();
    }

    /**
     * Parses a {@code .npy} file.
     *
     * @param bytes the file bytes
     * @return the dtype, shape and a view of the data
     * @throws RecordException if the bytes are not a supported {@code .npy} file or the data length is wrong
     */
    public static Parsed read(byte[] bytes) {
        Header h = readHeader(ByteBuffer.wrap(bytes), true);
        int dataStart = h.dataStart();
        long expected = h.fileLength() - dataStart; // refuses a shape whose byte size overflows a long
        if (bytes.length - dataStart != expected) {
            throw new RecordException(".npy data of shape " + Arrays.toString(h.shape()) + " " + h.dtype().numpyName()
                    + " needs " + expected + " bytes, found " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expected).slice().asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        return new Parsed(h.dtype(), h.shape(), data);
    }

    /**
     * A parsed {@code .npy} header.
     *
     * @param dtype the element type
     * @param shape the dimensions
     * @param dataStart where the elements start in the file
     */
    public record Header(NumpyDType dtype, int[] shape, int dataStart) {
        /**
         * Returns the length of the whole file.
         *
         * @return header plus {@code product(shape) * itemSize} bytes
         * @throws RecordException if that does not fit a long
         */
        public long fileLength() {
            try {
                return dataStart + Math.multiplyExact(numel(shape), (long) dtype.itemSize());
            } catch (ArithmeticException e) {
                throw new RecordException(".npy shape " + Arrays.toString(shape) + " is too large", e);
            }
        }
    }

    /**
     * Parses the header of a {@code .npy} file from its first bytes, before the rest has arrived.
     *
     * @param start the file's first bytes, from the buffer's position (its position is left as it was)
     * @param complete whether {@code start} is the whole file: if not, too few bytes give null instead of an error
     * @return the header, or null if {@code start} is too short to hold it and not {@code complete}
     * @throws RecordException if the bytes do not start a supported {@code .npy} file
     */
    public static Header readHeader(ByteBuffer start, boolean complete) {
        ByteBuffer buf = start.slice().order(ByteOrder.LITTLE_ENDIAN);
        int n = buf.remaining();
        if (n < 10 && !complete) {
            return null;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (n < 10 || buf.get(i) != MAGIC[i]) {
                throw new RecordException("array data is not a .npy file (bad magic)");
            }
        }
        int major = buf.get(6) & 0xff;
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (n < 12) {
                if (!complete) {
                    return null;
                }
                throw new RecordException(".npy file truncated in its header");
            }
            headerLen = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new RecordException("unsupported .npy format version " + major);
        }
        if (headerStart + headerLen > n) {
            if (!complete) {
                return null;
            }
            throw new RecordException(".npy header length " + headerLen + " exceeds the " + n + " bytes");
        }
        byte[] text = new byte[(int) headerLen];
        buf.get(headerStart, text);
        String header = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new RecordException("malformed .npy header: " + header.strip());
        }
        NumpyDType dtype = NumpyDType.fromDescr(d.group(1));
        if ("True".equals(f.group(1))) {
            throw new RecordException(".npy array in Fortran order is not supported");
        }
        return new Header(dtype, parseShape(s.group(1)), (int) (headerStart + headerLen));
    }

    private static int[] parseShape(String text) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                int v = Integer.parseInt(p);
                if (v < 0) {
                    throw new NumberFormatException("negative");
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new RecordException("malformed .npy shape (" + text + ")", e);
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
