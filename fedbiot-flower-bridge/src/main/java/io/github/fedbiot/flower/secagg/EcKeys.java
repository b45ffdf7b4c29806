/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The key pairs of SecAgg+ as {@code flwr.supercore.primitives.asymmetric} makes them: NIST P-384
 * ({@code ec.SECP384R1}), public keys as PEM SubjectPublicKeyInfo, private keys as unencrypted PEM PKCS#8.
 * The PEM text is written as OpenSSL writes it (64-character lines, {@code \n}), so the bytes a Python node
 * compares are stable; the private key's PEM is what this node secret-shares, and what the ServerApp
 * reconstructs and loads when the node drops out.
 */
public final class EcKeys {
    private static final String CURVE = "secp384r1";
    private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private EcKeys() {}

    /**
     * Generates a P-384 key pair.
     *
     * @param random the source of the private scalar
     * @return the pair
     */
    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(CURVE), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no EC key generation on " + CURVE, e);
        }
    }

    /**
     * Returns a public key as PEM SubjectPublicKeyInfo.
     *
     * @param key the key
     * @return the PEM bytes
     */
    public static byte[] publicKeyToPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /**
     * Returns a private key as unencrypted PEM PKCS#8.
     *
     * @param key the key
     * @return the PEM bytes
     */
    public static byte[] privateKeyToPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Reads a PEM SubjectPublicKeyInfo of a P-384 key.
     *
     * @param pem the PEM bytes
     * @return the key
     * @throws IllegalArgumentException if the bytes are not a PEM EC public key (the message does not repeat them)
     */
    public static PublicKey pemToPublicKey(byte[] pem) {
        try (PemReader r = new PemReader(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            PemObject o = r.readPemObject();
            if (o == null || !"PUBLIC KEY".equals(o.getType())) {
                throw new IllegalArgumentException("not a PEM public key (" + pem.length + " bytes)");
            }
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(o.getContent()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM EC public key (" + pem.length + " bytes): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] pem(String type, byte[] der) {
        String text = "-----BEGIN " + type + "-----\n" + PEM_BASE64.encodeToString(der) + "\n-----END " + type
                + "-----\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
