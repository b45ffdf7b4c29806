/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fernet tokens as Python's {@code cryptography.fernet.Fernet} writes and reads them: the key is 32 bytes in
 * URL-safe base64 (16 bytes HMAC-SHA256 key, then 16 bytes AES-128 key); a token is the URL-safe base64 of
 * {@code 0x80 | timestamp (8 bytes, big endian) | IV (16) | AES-128-CBC-PKCS7 ciphertext | HMAC-SHA256 of all
 * that}. The primitives are the JDK's; only the framing is written here.
 *
 * @see <a href="https://github.com/fernet/spec/blob/master/Spec.md">Fernet specification</a>
 */
public final class Fernet {
    private static final byte VERSION = (byte) 0x80;
    private static final int HEADER = 1 + 8 + 16;
    private static final int MAC = 32;

    private final SecretKeySpec signingKey;
    private final SecretKeySpec encryptionKey;

    /**
     * Returns a Fernet for a key.
     *
     * @param key 32 bytes in URL-safe base64 (44 ASCII bytes), as {@code generate_shared_key} returns
     * @throws IllegalArgumentException if the key is not that
     */
    public Fernet(byte[] key) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Fernet key must be 32 url-safe base64-encoded bytes");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("Fernet key must be 32 url-safe base64-encoded bytes");
        }
        signingKey = new SecretKeySpec(raw, 0, 16, "HmacSHA256");
        encryptionKey = new SecretKeySpec(raw, 16, 16, "AES");
        Arrays.fill(raw, (byte) 0);
    }

    /**
     * Encrypts with a fresh IV and the current time.
     *
     * @param plaintext the data
     * @param random the source of the IV
     * @param clock the time written into the token
     * @return the token (URL-safe base64, padded, as ASCII bytes)
     */
    public byte[] encrypt(byte[] plaintext, SecureRandom random, Clock clock) {
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
            byte[] ct = c.doFinal(plaintext);
            ByteBuffer b = ByteBuffer.allocate(HEADER + ct.length + MAC);
            b.put(VERSION).putLong(clock.instant().getEpochSecond()).put(iv).put(ct);
            b.put(mac(b.array(), HEADER + ct.length));
            return Base64.getUrlEncoder().encode(b.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no AES-CBC or HMAC-SHA256", e);
        }
    }

    /**
     * Verifies and decrypts a token; like {@code Fernet.decrypt(token)} without a TTL, the timestamp is not
     * checked.
     *
     * @param token the token
     * @return the plaintext
     * @throws IllegalArgumentException if the token is malformed or its HMAC does not verify (the message names
     *     neither key nor data)
     */
    public byte[] decrypt(byte[] token) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid Fernet token: not url-safe base64");
        }
        if (raw.length < HEADER + 16 + MAC || raw[0] != VERSION || (raw.length - HEADER - MAC) % 16 != 0) {
            throw new IllegalArgumentException("invalid Fernet token: bad version or length");
        }
        try {
            byte[] expected = mac(raw, raw.length - MAC);
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, raw.length - MAC, raw.length))) {
                throw new IllegalArgumentException("invalid Fernet token: HMAC does not verify");
            }
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, encryptionKey, new IvParameterSpec(raw, 9, 16));
            return c.doFinal(raw, HEADER, raw.length - HEADER - MAC);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new IllegalArgumentException("invalid Fernet token: bad padding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no AES-CBC or HMAC-SHA256", e);
        }
    }

    private byte[] mac(byte[] data, int length) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(signingKey);
        m.update(data, 0, length);
        return m.doFinal();
    }
}
