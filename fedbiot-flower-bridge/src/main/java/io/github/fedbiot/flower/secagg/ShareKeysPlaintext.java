/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What one node sends another, encrypted, in the share-keys stage ({@code share_keys_plaintext_concat}):
 * {@code src (8 bytes LE) | dst (8 bytes LE) | length of the seed share (4 bytes LE) | seed share | key share}.
 *
 * @param src the sender's node id (a uint64)
 * @param dst the receiver's node id (a uint64)
 * @param seedShare the share of the sender's private mask seed
 * @param keyShare the share of the sender's first private key (PEM)
 */
public record ShareKeysPlaintext(long src, long dst, byte[] seedShare, byte[] keyShare) {
    /** Copies the shares. */
    public ShareKeysPlaintext {
        seedShare = seedShare.clone();
        keyShare = keyShare.clone();
    }

    /** Returns the shares' bytes. @return a copy */
    @Override
    public byte[] seedShare() {
        return seedShare.clone();
    }

    /** Returns the key share's bytes. @return a copy */
    @Override
    public byte[] keyShare() {
        return keyShare.clone();
    }

    /** Returns the plaintext bytes. @return the bytes */
    public byte[] toBytes() {
        return ByteBuffer.allocate(20 + seedShare.length + keyShare.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(src).putLong(dst).putInt(seedShare.length).put(seedShare).put(keyShare).array();
    }

    /**
     * Parses plaintext bytes ({@code share_keys_plaintext_separate}).
     *
     * @param b the bytes
     * @return the fields
     * @throws IllegalArgumentException if the bytes are too short
     */
    public static ShareKeysPlaintext parse(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 20) {
            throw new IllegalArgumentException("share-keys plaintext of " + b.length + " bytes is too short");
        }
        long src = buf.getLong();
        long dst = buf.getLong();
        int mark = buf.getInt();
        if (mark < 0 || mark > b.length - 20) {
            throw new IllegalArgumentException("share-keys plaintext declares a share longer than itself");
        }
        return new ShareKeysPlaintext(src, dst, Arrays.copyOfRange(b, 20, 20 + mark),
                Arrays.copyOfRange(b, 20 + mark, b.length));
    }

    /** Names the node ids only: the shares are secret. @return the text */
    @Override
    public String toString() {
        return "ShareKeysPlaintext[src=" + Long.toUnsignedString(src) + ", dst=" + Long.toUnsignedString(dst) + "]";
    }
}
