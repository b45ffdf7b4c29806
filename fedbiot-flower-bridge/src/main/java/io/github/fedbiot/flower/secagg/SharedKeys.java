/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The shared key of two nodes, as flwr's {@code generate_shared_key}: ECDH on P-384 (the 48-byte x coordinate),
 * then HKDF-SHA256 (RFC 5869) with no salt (a block of zeros) and no info to 32 bytes, returned in URL-safe
 * base64 with padding: 44 ASCII bytes, which are both a {@link Fernet} key and, as they are, the seed of the
 * pairwise mask.
 */
public final class SharedKeys {
    private SharedKeys() {}

    /**
     * Derives the shared key.
     *
     * @param own this node's private key
     * @param other the other node's public key
     * @return the key, 44 bytes of URL-safe base64
     * @throws IllegalArgumentException if the keys are not on the same curve
     */
    public static byte[] generate(PrivateKey own, PublicKey other) {
        byte[] secret;
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(own);
            ka.doPhase(other, true);
            secret = ka.generateSecret();
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("ECDH refused the key pair: " + e.getClass().getSimpleName());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no ECDH", e);
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, null, null));
        byte[] derived = new byte[32];
        hkdf.generateBytes(derived, 0, derived.length);
        Arrays.fill(secret, (byte) 0);
        byte[] key = Base64.getUrlEncoder().encode(derived);
        Arrays.fill(derived, (byte) 0);
        return key;
    }
}
