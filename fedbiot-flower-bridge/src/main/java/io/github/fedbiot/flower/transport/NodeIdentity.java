/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import io.github.fedbiot.tensor.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SuperNode's EC key pair and the signature Flower's SuperLink checks on every Fleet call.
 *
 * <p>As in flwr ({@code flwr.supercore.primitives.asymmetric}): the key is on curve secp384r1, the public key is
 * sent as PEM SubjectPublicKeyInfo bytes, the timestamp is {@code datetime.now(timezone.utc).isoformat()} (e.g.
 * {@code 2026-11-26T08:15:02.123456+00:00}) and the signature is ECDSA with SHA-256 (DER) over the timestamp's
 * ASCII bytes. The SuperLink accepts timestamps from 5 s in the future to 305 s in the past.
 *
 * <p>The key file holds the PKCS#8 private key and the public key as two PEM blocks; {@link #loadOrCreate(Path)}
 * creates it (owner read/write only) on first use, so a node keeps its identity across restarts. {@link #load}
 * also reads an unencrypted OpenSSH ECDSA private key ({@code ssh-keygen -t ecdsa -b 384}), as Python's
 * {@code flower-supernode --auth-supernode-private-key} does.
 */
public final class NodeIdentity {
    /** gRPC metadata key of the public key (binary). */
    public static final String PUBLIC_KEY_HEADER = "flwr-public-key-bin";
    /** gRPC metadata key and HTTP header of the timestamp. */
    public static final String TIMESTAMP_HEADER = "flwr-timestamp";
    /** gRPC metadata key of the signature (binary). */
    public static final String SIGNATURE_HEADER = "flwr-signature-bin";
    /** HTTP header of the public key (base64 of the PEM bytes); flwr's {@code FLEET_HTTP_PUBLIC_KEY_HEADER}. */
    public static final String FLEET_HTTP_PUBLIC_KEY_HEADER = "flwr-public-key";
    /** HTTP header of the signature (base64 of the DER bytes); flwr's {@code FLEET_HTTP_SIGNATURE_HEADER}. */
    public static final String FLEET_HTTP_SIGNATURE_HEADER = "flwr-signature";

    private static final String CURVE = "secp384r1";
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'").withZone(ZoneOffset.UTC);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] publicKeyPem;

    private NodeIdentity(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicKeyPem = pem("PUBLIC KEY", publicKey.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns a new random identity on secp384r1. @return the identity */
    public static NodeIdentity generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(CURVE));
            KeyPair kp = g.generateKeyPair();
            return new NodeIdentity(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation on " + CURVE + " is not available", e);
        }
    }

    /**
     * Loads the identity stored in a key file, or creates the file with a new identity.
     *
     * @param keyFile the key file
     * @return the identity
     * @throws IOException if the file cannot be read or written
     * @throws IllegalArgumentException if the file exists but holds no EC key pair
     */
    public static NodeIdentity loadOrCreate(Path keyFile) throws IOException {
        if (Files.exists(keyFile)) {
            return load(keyFile);
        }
        NodeIdentity id = generate();
        id.save(keyFile);
        return id;
    }

    /**
     * Loads an identity from a key file written by {@link #save(Path)} (or any file with a PKCS#8
     * {@code PRIVATE KEY} and a {@code PUBLIC KEY} PEM block, e.g. written with Python's {@code cryptography}).
     *
     * @param keyFile the key file
     * @return the identity
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file if it holds no EC key pair
     */
    public static NodeIdentity load(Path keyFile) throws IOException {
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        byte[] priv = null;
        byte[] pub = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> priv = der;
                case "PUBLIC KEY" -> pub = der;
                case "OPENSSH PRIVATE KEY" -> {
                    KeyPair kp = OpenSshKeys.decode(der, keyFile);
                    try {
                        NodeIdentity id = new NodeIdentity(kp.getPrivate(), kp.getPublic());
                        id.verifyPair(keyFile);
                        return id;
                    } catch (GeneralSecurityException e) {
                        throw new IllegalArgumentException("key file " + keyFile + ": cannot sign with its key ("
                                + e.getClass().getSimpleName() + ")");
                    }
                }
                default -> throw new IllegalArgumentException("key file " + keyFile + ": unsupported PEM block '"
                        + m.group(1) + "'; expected PRIVATE KEY (PKCS#8) and PUBLIC KEY, or OPENSSH PRIVATE KEY");
            }
        }
        if (priv == null || pub == null) {
            throw new IllegalArgumentException("key file " + keyFile
                    + " must hold a PKCS#8 'PRIVATE KEY' and a 'PUBLIC KEY' PEM block");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("EC");
            PrivateKey pk = kf.generatePrivate(new PKCS8EncodedKeySpec(priv));
            PublicKey pu = kf.generatePublic(new X509EncodedKeySpec(pub));
            if (!(pk instanceof ECPrivateKey) || !(pu instanceof ECPublicKey)) {
                throw new IllegalArgumentException("key file " + keyFile + " does not hold EC keys");
            }
            NodeIdentity id = new NodeIdentity(pk, pu);
            id.verifyPair(keyFile);
            return id;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key file " + keyFile + " holds no valid EC key pair: " + e.getMessage(), e);
        }
    }

    private void verifyPair(Path keyFile) throws GeneralSecurityException {
        byte[] probe = "fedbiot".getBytes(StandardCharsets.US_ASCII);
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(publicKey);
        v.update(probe);
        if (!v.verify(sign(probe))) {
            throw new IllegalArgumentException("key file " + keyFile + ": public key does not match the private key");
        }
    }

    /**
     * Writes the key file atomically, readable by the owner only where the file system supports it.
     *
     * @param keyFile the key file
     * @throws IOException if writing fails
     */
    public void save(Path keyFile) throws IOException {
        Path parent = keyFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String text = pem("PRIVATE KEY", privateKey.getEncoded()) + pem("PUBLIC KEY", publicKey.getEncoded());
        AtomicFile.write(keyFile, out -> out.write(text.getBytes(StandardCharsets.US_ASCII)));
        try {
            Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: keep the default permissions.
        }
    }

    /** Returns the public key as PEM SubjectPublicKeyInfo bytes, as Flower sends it. @return a copy */
    public byte[] publicKeyPem() {
        return publicKeyPem.clone();
    }

    /**
     * Signs bytes with ECDSA/SHA-256.
     *
     * @param data the bytes
     * @return the DER signature
     */
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA signing failed", e);
        }
    }

    /**
     * Returns a timestamp in Flower's format and its signature, for one call; the SuperLink accepts it only within
     * a few seconds of its own clock, so callers pass the time of the call.
     *
     * @param at the time of the call, e.g. {@link Instant#now()}
     * @return the signed timestamp, e.g. {@code 2026-11-26T08:15:02.123456+00:00}
     */
    public SignedTimestamp signTimestamp(Instant at) {
        String ts = ISO_MICROS.format(at);
        return new SignedTimestamp(ts, sign(ts.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * A timestamp and its signature.
     *
     * @param timestamp the ISO-8601 timestamp
     * @param signature the DER ECDSA signature of its ASCII bytes
     */
    public record SignedTimestamp(String timestamp, byte[] signature) {}

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + CURVE + "]";
    }
}
