/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The shared secret a ServerApp presents to the aligner as {@code authorization: Bearer <token>} gRPC metadata.
 * The value never appears in {@link #toString()}, logs or exception messages, and is compared in constant time.
 * Make one with {@code openssl rand -hex 32 > aligner.token}; it is read from a file, never from the command line,
 * where other users of the machine could see it.
 */
public final class BearerToken {
    /** The shortest token accepted: 16 characters (64 bits of a hex token). */
    public static final int MIN_LENGTH = 16;

    private final byte[] value;

    private BearerToken(byte[] value) {
        this.value = value;
    }

    /**
     * Wraps a token.
     *
     * @param token at least {@value #MIN_LENGTH} printable ASCII characters, no spaces
     * @return the token
     * @throws IllegalArgumentException if it is too short or holds other characters (the message does not show it)
     */
    public static BearerToken of(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the aligner token must have at least " + MIN_LENGTH
                    + " characters (found " + (token == null ? 0 : token.length())
                    + "); make one with `openssl rand -hex 32`");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("the aligner token may hold only printable ASCII characters "
                        + "without spaces (character " + (i + 1) + " is not)");
            }
        }
        return new BearerToken(token.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a token file: its content without surrounding whitespace (a trailing newline is usual).
     *
     * @param file the file
     * @return the token
     * @throws FedbiotException naming the file if it is missing, unreadable or holds no valid token
     */
    public static BearerToken read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new FedbiotException("token file " + file + " does not exist");
        } catch (IOException e) {
            throw new FedbiotException("cannot read token file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return of(text);
        } catch (IllegalArgumentException e) {
            throw new FedbiotException("token file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Whether a presented token equals this one, in time independent of where they differ.
     *
     * @param presented the token a caller sent (may be null)
     * @return true if equal
     */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Returns the metadata value a client sends, {@code Bearer <token>}. Secret: do not log it.
     *
     * @return the value
     */
    public String authorizationValue() {
        return "Bearer " + new String(value, StandardCharsets.US_ASCII);
    }

    /** Returns a description without the secret. @return {@code BearerToken[redacted]} */
    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
