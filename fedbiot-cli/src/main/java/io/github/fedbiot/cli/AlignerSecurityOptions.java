/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.BearerToken;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code flower-server} options that protect the aligner's API: TLS files, the ServerApp's token or client
 * CA, or {@code --insecure}. Without TLS files and without {@code --insecure} the aligner refuses to start.
 */
final class AlignerSecurityOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "The aligner's TLS certificate chain (PEM); with --tls-key.")
    private Path certChain;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The private key of --tls-cert (PEM, PKCS#8; keep it mode 600).")
    private Path privateKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Require client certificates signed by this CA (mutual TLS).")
    private Path clientCa;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the token the ServerApp must send (`authorization: Bearer ...`; at least "
                    + "16 characters, e.g. `openssl rand -hex 32 > FILE`). Never on the command line.")
    private Path tokenFile;

    @Option(names = "--insecure",
            description = "Serve plain text (no TLS): only for an aligner on loopback beside the ServerApp.")
    private boolean insecure;

    /**
     * Resolves the options.
     *
     * @return the security settings
     * @throws IllegalArgumentException naming the options at fault (plain text without --insecure among them)
     * @throws io.github.fedbiot.FedbiotException if a file is missing or the token file holds no valid token
     */
    AlignerSecurity resolve() {
        boolean tls = certChain != null || privateKey != null;
        if (insecure && (tls || clientCa != null)) {
            throw new IllegalArgumentException("--insecure excludes --tls-cert, --tls-key and --tls-client-ca");
        }
        if (!insecure && !tls) {
            throw new IllegalArgumentException("refusing to serve the aligner in plain text: give --tls-cert and "
                    + "--tls-key with --token-file and/or --tls-client-ca, or --insecure for an aligner on loopback "
                    + "beside the ServerApp");
        }
        if (tls && (certChain == null || privateKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (tls && clientCa == null && tokenFile == null) {
            throw new IllegalArgumentException("TLS without client authentication would let anyone who reaches the "
                    + "port read and replace the adapter: give --token-file and/or --tls-client-ca");
        }
        BearerToken token = tokenFile == null ? null : BearerToken.read(tokenFile);
        return tls ? AlignerSecurity.tls(certChain, privateKey, clientCa, token) : AlignerSecurity.plaintext(token);
    }
}
