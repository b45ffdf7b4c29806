/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import io.github.fedbiot.flower.record.RecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Flower's object format ({@code flwr.supercore.inflatable}): {@code HEAD 0x00 BODY} with
 * {@code HEAD = "<Type> <comma-separated unique child ids> <body length>"}; the object id is the lowercase hex
 * SHA-256 of all bytes.
 */
public final class FlowerObjects {
    /** Separates head and body. */
    public static final byte HEAD_BODY_DIVIDER = 0;

    private FlowerObjects() {}

    /**
     * A parsed object head.
     *
     * @param type e.g. {@code ArrayRecord}
     * @param childIds the child object ids in head order
     * @param bodyOffset where the body starts in the object bytes
     * @param bodyLength the body length
     */
    public record Head(String type, List<String> childIds, int bodyOffset, int bodyLength) {}

    /**
     * Builds an object's bytes.
     *
     * @param type the object type
     * @param childIds unique child ids in order
     * @param body the body
     * @return head + 0x00 + body
     */
    public static byte[] build(String type, List<String> childIds, byte[] body) {
        return build(type, childIds, body, 0, body.length);
    }

    /**
     * Builds an object's bytes from a slice of a body.
     *
     * @param type the object type
     * @param childIds unique child ids in order
     * @param body the array holding the body
     * @param offset where the body starts
     * @param length the body length
     * @return head + 0x00 + body
     */
    public static byte[] build(String type, List<String> childIds, byte[] body, int offset, int length) {
        return build(type, childIds, ByteBuffer.wrap(body, offset, length));
    }

    /**
     * Builds an object's bytes from a buffer's remaining bytes (the buffer's position is left as it was).
     *
     * @param type the object type
     * @param childIds unique child ids in order
     * @param body the body, from its position to its limit
     * @return head + 0x00 + body
     */
    public static byte[] build(String type, List<String> childIds, ByteBuffer body) {
        int length = body.remaining();
        byte[] head = head(type, childIds, length);
        byte[] out = new byte[head.length + 1 + length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = HEAD_BODY_DIVIDER;
        body.duplicate().get(out, head.length + 1, length);
        return out;
    }

    /**
     * Returns an object's id.
     *
     * @param content the object bytes
     * @return lowercase hex SHA-256
     */
    public static String objectId(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Returns the id of the object {@link #build(String, List, ByteBuffer)} would build, without building it.
     *
     * @param type the object type
     * @param childIds unique child ids in order
     * @param body the body, from its position to its limit (its position is left as it was)
     * @return lowercase hex SHA-256
     */
    public static String objectId(String type, List<String> childIds, ByteBuffer body) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(head(type, childIds, body.remaining()));
            md.update(HEAD_BODY_DIVIDER);
            md.update(body.duplicate());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Returns the length of an object's head and divider.
     *
     * @param type the object type
     * @param childIds unique child ids in order
     * @param bodyLength the body length
     * @return the bytes before the body
     */
    public static int headLength(String type, List<String> childIds, int bodyLength) {
        return head(type, childIds, bodyLength).length + 1;
    }

    private static byte[] head(String type, List<String> childIds, int bodyLength) {
        return (type + " " + String.join(",", childIds) + " " + bodyLength).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns whether a string is a valid object id (64 hex digits).
     *
     * @param id the candidate
     * @return true if valid
     */
    public static boolean isValidId(String id) {
        if (id == null || id.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (Character.digit(id.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses and checks an object's head.
     *
     * @param content the object bytes
     * @return the head
     * @throws RecordException if the head is malformed or the body length disagrees
     */
    public static Head parseHead(byte[] content) {
        int div = -1;
        for (int i = 0; i < content.length && i < 64 * 1024 * 1024; i++) {
            if (content[i] == HEAD_BODY_DIVIDER) {
                div = i;
                break;
            }
        }
        if (div < 0) {
            throw new RecordException("malformed object: no head/body divider");
        }
        String head = new String(content, 0, div, StandardCharsets.UTF_8);
        String[] parts = head.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new RecordException("malformed object head '" + abbreviate(head) + "'");
        }
        List<String> children = parts[1].isEmpty() ? List.of() : Arrays.asList(parts[1].split(",", -1));
        for (String c : children) {
            if (!isValidId(c)) {
                throw new RecordException("malformed child id '" + abbreviate(c) + "' in " + parts[0] + " object head");
            }
        }
        int bodyLength;
        try {
            bodyLength = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new RecordException("malformed body length '" + abbreviate(parts[2]) + "' in object head", e);
        }
        if (bodyLength != content.length - div - 1) {
            throw new RecordException(parts[0] + " object head says " + bodyLength + " body bytes, found "
                    + (content.length - div - 1));
        }
        return new Head(parts[0], List.copyOf(children), div + 1, bodyLength);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
