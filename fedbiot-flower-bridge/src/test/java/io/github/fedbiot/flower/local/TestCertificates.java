/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.local;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away certificates for TLS tests, made with BouncyCastle at test time (no key is committed): a CA, a server
 * certificate for {@code 127.0.0.1} and {@code localhost}, and a client certificate, all EC P-256, valid for a day.
 *
 * @param dir where the files are
 */
public record TestCertificates(Path dir) {

    /**
     * Writes {@code ca.pem}, {@code server.pem}, {@code server.key}, {@code client.pem} and {@code client.key}
     * (keys PKCS#8 PEM) into a directory.
     *
     * @param dir the directory (created)
     * @param caName the CA's common name (two calls with different names make CAs that do not trust each other)
     * @return the files
     * @throws IOException if a file cannot be written
     * @throws GeneralSecurityException if key generation or signing fails
     */
    public static TestCertificates create(Path dir, String caName) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPair ca = keyPair();
        X500Name caSubject = new X500Name("CN=" + caName);
        X509CertificateHolder caCert = sign(caSubject, caSubject, ca, ca, true, null);
        KeyPair server = keyPair();
        GeneralNames san = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.dNSName, "localhost")});
        X509CertificateHolder serverCert = sign(caSubject, new X500Name("CN=localhost"), ca, server, false, san);
        KeyPair client = keyPair();
        X509CertificateHolder clientCert = sign(caSubject, new X500Name("CN=fedbiot ServerApp"), ca, client, false,
                null);
        TestCertificates t = new TestCertificates(dir);
        writePem(t.caCert(), caCert);
        writePem(t.serverCert(), serverCert);
        writePem(t.serverKey(), new JcaPKCS8Generator(server.getPrivate(), null).generate());
        writePem(t.clientCert(), clientCert);
        writePem(t.clientKey(), new JcaPKCS8Generator(client.getPrivate(), null).generate());
        return t;
    }

    /** @return the CA certificate (PEM) */
    public Path caCert() {
        return dir.resolve("ca.pem");
    }

    /** @return the server certificate (PEM) */
    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    /** @return the server's private key (PKCS#8 PEM) */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** @return the client certificate (PEM) */
    public Path clientCert() {
        return dir.resolve("client.pem");
    }

    /** @return the client's private key (PKCS#8 PEM) */
    public Path clientKey() {
        return dir.resolve("client.key");
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509CertificateHolder sign(X500Name issuer, X500Name subject, KeyPair issuerKey, KeyPair subjectKey,
            boolean isCa, GeneralNames san) throws IOException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))), subject, subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                    | KeyUsage.digitalSignature));
        }
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate());
            return b.build(signer);
        } catch (OperatorCreationException e) {
            throw new IOException("cannot sign the test certificate", e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(object);
        }
        Files.writeString(file, s.toString());
    }
}
