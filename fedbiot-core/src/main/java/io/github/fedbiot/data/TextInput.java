/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.data;

import io.github.fedbiot.FedbiotException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a whole text file (configuration or data) with a size cap, refusing binary content and invalid UTF-8 with
 * a message that says where. The cap is enforced while reading, never from the size the file system reports, so
 * that {@code /dev/zero}, a pipe or a growing file fails after at most {@code cap + 1} bytes instead of filling
 * the heap.
 */
public final class TextInput {
    private static final int CHUNK = 64 * 1024;

    private TextInput() {}

    /**
     * Reads a file as UTF-8 (a leading byte order mark is dropped).
     *
     * @param file the file
     * @param maxBytes the largest size accepted
     * @param what what the file is, for the size message, e.g. {@code "a configuration file"}
     * @return the text
     * @throws IOException if the file cannot be opened or read (missing, a directory, no permission)
     * @throws FedbiotException if it is larger than {@code maxBytes}, holds a NUL byte or is not UTF-8
     */
    public static String read(Path file, long maxBytes, String what) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), maxBytes, what);
        }
    }

    /**
     * Reads a stream to its end as UTF-8, as {@link #read(Path, long, String)} does.
     *
     * @param in the stream (not closed)
     * @param source its name, for messages
     * @param maxBytes the largest size accepted
     * @param what what the content is, for the size message
     * @return the text
     * @throws IOException if reading fails
     * @throws FedbiotException if the content is too large, holds a NUL byte or is not UTF-8
     */
    public static String read(InputStream in, String source, long maxBytes, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                // neither JSON nor YAML text may hold a raw NUL: a binary file or a device, refused at once
                if (buf[i] == 0) {
                    throw new FedbiotException(source + " holds a NUL byte at byte offset " + (total + i)
                            + ": it is binary, not UTF-8 text");
                }
            }
            total += n;
            if (total > maxBytes) {
                throw new FedbiotException(source + " is larger than " + sizeName(maxBytes) + ", the limit for "
                        + what);
            }
            out.write(buf, 0, n);
        }
        return decode(out.toByteArray(), source);
    }

    /**
     * Decodes UTF-8 strictly, dropping a leading byte order mark.
     *
     * @param bytes the content
     * @param source its name, for messages
     * @return the text
     * @throws FedbiotException naming the line and byte offset of the first invalid sequence
     */
    public static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new FedbiotException(source + " is not UTF-8 at line " + line + " (byte offset " + offset
                    + ", byte 0x" + String.format("%02x", bytes[offset] & 0xff) + ")");
        }
        try {
            decoder.flush(out);
        } catch (IllegalStateException e) {
            throw new FedbiotException(source + " cannot be decoded as UTF-8", e);
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Returns a size for messages: {@code 1 MiB}, {@code 64 KiB} or {@code 100 bytes}.
     *
     * @param bytes the size
     * @return the text
     */
    public static String sizeName(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
