/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Reads the private key files {@code ssh-keygen -t ecdsa} writes ({@code -----BEGIN OPENSSH PRIVATE KEY-----},
 * unencrypted), the format Flower's {@code flower-supernode --auth-supernode-private-key} takes, with BouncyCastle's
 * OpenSSH parser. Error messages name the file and the problem, never the key.
 */
final class OpenSshKeys {
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private OpenSshKeys() {}

    /**
     * Decodes the base64 body of an {@code OPENSSH PRIVATE KEY} block.
     *
     * @param blob the decoded bytes ({@code openssh-key-v1} container)
     * @param file the file, for messages
     * @return the JDK key pair (the public key derived from the private one)
     * @throws IllegalArgumentException naming the file if the key is encrypted, not ECDSA or malformed
     */
    static KeyPair decode(byte[] blob, Path file) {
        if (isEncrypted(blob)) {
            throw new IllegalArgumentException("key file " + file + " is protected by a passphrase; the Java node "
                    + "reads unencrypted keys: remove it with `ssh-keygen -p -N \"\" -f " + file + "`");
        }
        AsymmetricKeyParameter key;
        try {
            key = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("key file " + file + " holds no readable OpenSSH private key ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (!(key instanceof ECPrivateKeyParameters ec)) {
            throw new IllegalArgumentException("key file " + file + " holds a " + key.getClass().getSimpleName()
                    .replace("PrivateKeyParameters", "") + " key; Flower node authentication needs ECDSA on a NIST "
                    + "curve: `ssh-keygen -t ecdsa -b 384 -N \"\" -f " + file.getFileName() + "`");
        }
        ECPublicKeyParameters pub = new ECPublicKeyParameters(ec.getParameters().getG().multiply(ec.getD())
                .normalize(), ec.getParameters());
        try {
            KeyFactory kf = KeyFactory.getInstance("EC");
            return new KeyPair(kf.generatePublic(new X509EncodedKeySpec(
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub).getEncoded())),
                    kf.generatePrivate(new PKCS8EncodedKeySpec(PrivateKeyInfoFactory.createPrivateKeyInfo(ec)
                            .getEncoded())));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("key file " + file + ": the JDK cannot use its EC key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Whether the container names a cipher other than "none" (ssh-keygen's passphrase protection). */
    private static boolean isEncrypted(byte[] blob) {
        int n = MAGIC.length;
        if (blob.length < n + 4) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (blob[i] != MAGIC[i]) {
                return false;
            }
        }
        int len = ((blob[n] & 0xff) << 24) | ((blob[n + 1] & 0xff) << 16) | ((blob[n + 2] & 0xff) << 8)
                | (blob[n + 3] & 0xff);
        if (len < 0 || n + 4 + len > blob.length) {
            return false;
        }
        return !"none".equals(new String(blob, n + 4, len, StandardCharsets.US_ASCII));
    }
}
