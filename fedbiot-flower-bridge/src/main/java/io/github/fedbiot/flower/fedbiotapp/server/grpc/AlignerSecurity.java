/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import io.github.fedbiot.FedbiotException;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the aligner protects its API, which hands out and takes in the model's adapter: TLS with the server's
 * certificate chain and private key (PEM, the key PKCS#8) and at least one way to authenticate the ServerApp, a
 * {@link BearerToken} or client certificates signed by a CA (mutual TLS); or, only when asked for by name,
 * plain text ({@link #plaintext}, the CLI's {@code --insecure}).
 *
 * @param certChain the server's certificate chain (PEM), null for plain text
 * @param privateKey the server's private key (PEM, PKCS#8), null for plain text
 * @param clientCa the CA that signs the clients' certificates (mutual TLS), or null
 * @param token the token clients must present, or null
 */
public record AlignerSecurity(Path certChain, Path privateKey, Path clientCa, BearerToken token) {

    /** Checks that TLS has both files and some client authentication. */
    public AlignerSecurity {
        if ((certChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("TLS needs both the certificate chain and the private key");
        }
        if (certChain == null && clientCa != null) {
            throw new IllegalArgumentException("client certificates (mutual TLS) need TLS: give the server's "
                    + "certificate and key too");
        }
        if (certChain != null && clientCa == null && token == null) {
            throw new IllegalArgumentException("TLS without client authentication would let anyone who reaches the "
                    + "port read and replace the adapter: give a bearer token or a client CA (mutual TLS)");
        }
    }

    /**
     * TLS with the given server files and client authentication.
     *
     * @param certChain the server's certificate chain (PEM)
     * @param privateKey the server's private key (PEM, PKCS#8)
     * @param clientCa the CA of the clients' certificates, or null for no mutual TLS
     * @param token the clients' token, or null (then {@code clientCa} is required)
     * @return the settings
     * @throws FedbiotException naming a file that is missing or unreadable
     * @throws IllegalArgumentException if there is no client authentication
     */
    public static AlignerSecurity tls(Path certChain, Path privateKey, Path clientCa, BearerToken token) {
        requireReadable(certChain, "TLS certificate");
        requireReadable(privateKey, "TLS private key");
        if (clientCa != null) {
            requireReadable(clientCa, "client CA certificate");
        }
        return new AlignerSecurity(certChain, privateKey, clientCa, token);
    }

    /**
     * Plain text: anyone who reaches the port (or reads the network) sees the adapter; a token, if given, travels in
     * the clear. For a loopback-only aligner beside the ServerApp.
     *
     * @param token the clients' token, or null
     * @return the settings
     */
    public static AlignerSecurity plaintext(BearerToken token) {
        return new AlignerSecurity(null, null, null, token);
    }

    private static void requireReadable(Path file, String what) {
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FedbiotException(what + " file " + file + " does not exist or is not readable");
        }
    }

    /** Whether the API is served over TLS. @return true for TLS */
    public boolean isTls() {
        return certChain != null;
    }

    /** Returns the token, if clients must present one. @return the token */
    public Optional<BearerToken> optToken() {
        return Optional.ofNullable(token);
    }

    /**
     * Describes the protection without secrets, for the log.
     *
     * @return e.g. {@code TLS, bearer token, client certificates}
     */
    public String describe() {
        String auth = (token != null ? ", bearer token" : "") + (clientCa != null ? ", client certificates" : "");
        return isTls() ? "TLS" + auth : "PLAIN TEXT (insecure)" + auth;
    }

    /**
     * Builds the gRPC credentials.
     *
     * @return TLS or insecure credentials
     * @throws FedbiotException if a file cannot be read
     */
    ServerCredentials credentials() {
        if (!isTls()) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder()
                    .keyManager(certChain.toFile(), privateKey.toFile());
            if (clientCa != null) {
                b.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (IOException e) {
            throw new FedbiotException("cannot read the aligner's TLS files (" + certChain + ", " + privateKey
                    + (clientCa != null ? ", " + clientCa : "") + "): " + e.getClass().getSimpleName());
        }
    }
}
