/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.flower.fedbiotapp.server.AlignerOutput;
import io.github.fedbiot.flower.fedbiotapp.server.AlignerSession;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FedBiOT emulator aligner served over gRPC ({@code fedbiot.aligner.v1.EmulatorAligner},
 * {@code src/main/proto/fedbiot/aligner.proto}): one {@link AlignerSession} (the server side of FedBiOT for a
 * Flower ServerApp) behind a Netty server.
 *
 * <p>The ServerApp calls, in order: {@code GetInitialState}, {@code PreAlign} (once), then per round
 * {@code GetRoundConfig} before the broadcast and {@code Align} after FedAvg, and {@code Finish} with the final
 * adapter; see {@link AlignerSession} for what each step does and checks. Calls out of order get
 * {@code FAILED_PRECONDITION}, malformed or refused tensors {@code INVALID_ARGUMENT}; neither changes the state.
 *
 * <p>The API serves TLS with client authentication ({@link AlignerSecurity}), or plain text only when the caller
 * asks for it by name; calls without the right token get {@code UNAUTHENTICATED}. Requests over
 * {@link Builder#optMaxMessageBytes} are refused by gRPC and replies over {@link Builder#optMaxReplyBytes} by the
 * service, both with {@code RESOURCE_EXHAUSTED}.
 *
 * <pre>{@code
 * AlignerSecurity tls = AlignerSecurity.tls(Path.of("server.pem"), Path.of("server.key"), null,
 *         BearerToken.read(Path.of("aligner.token")));
 * try (EmulatorAligner aligner = EmulatorAligner.builder().setConfig(config).setModel(model).setSecurity(tls)
 *         .optPort(50051).build().start()) {
 *     aligner.awaitFinish();
 * }
 * }</pre>
 */
public final class EmulatorAligner implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(EmulatorAligner.class);

    private final AlignerSession session;
    private final String host;
    private final int requestedPort;
    private final int maxMessageBytes;
    private final int maxReplyBytes;
    private final AlignerSecurity security;
    private volatile Server grpcServer;

    private EmulatorAligner(Builder b) {
        this.session = AlignerSession.create(b.config, b.model, AlignerOutput.to(b.outputDir));
        this.host = b.host;
        this.requestedPort = b.port;
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxReplyBytes = b.maxReplyBytes > 0 ? b.maxReplyBytes : b.maxMessageBytes;
        this.security = b.security;
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving.
     *
     * @return this aligner
     * @throws FedbiotException if the port cannot be bound or the TLS files are not a certificate and its key
     */
    public synchronized EmulatorAligner start() {
        if (grpcServer != null) {
            throw new IllegalStateException("the aligner is already started");
        }
        ServerServiceDefinition service = new AlignerService(session, maxMessageBytes, maxReplyBytes).bindService();
        if (security.optToken().isPresent()) {
            service = ServerInterceptors.intercept(service, new TokenAuthInterceptor(security.token()));
        }
        try {
            grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress(host, requestedPort),
                    security.credentials()).maxInboundMessageSize(maxMessageBytes).addService(service).build().start();
        } catch (IOException e) {
            throw new FedbiotException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Netty's parsers name the problem ("does not contain valid private key"), never the key itself.
            throw new FedbiotException("cannot serve TLS with " + security.certChain() + " and "
                    + security.privateKey() + ": " + e.getMessage());
        }
        if (!security.isTls()) {
            logger.warn("the aligner API is served in PLAIN TEXT (insecure): whoever reaches {} or reads the "
                    + "network can see and replace the adapter{}", address(), security.optToken().isPresent()
                            ? ", and the token travels in the clear" : "");
        }
        logger.info("emulator aligner ({}; {}) listening on {}", session.describe(), security.describe(), address());
        return this;
    }

    /** Returns the bound port (useful with port 0). @return the port */
    public int port() {
        Server s = grpcServer;
        if (s == null) {
            throw new IllegalStateException("the aligner is not started");
        }
        return s.getPort();
    }

    /** Returns {@code host:port} as a client dials it. @return the address */
    public String address() {
        return host + ":" + port();
    }

    /**
     * Returns the session this aligner serves: what it handed out and accepted per round, and whether the
     * ServerApp finished.
     *
     * @return the session
     */
    public AlignerSession session() {
        return session;
    }

    /** Stops serving (in-flight calls get 5 seconds). The model belongs to the caller and stays open. */
    @Override
    public synchronized void close() {
        Server s = grpcServer;
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
                s.shutdownNow();
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Assembles an {@link EmulatorAligner}. */
    public static final class Builder {
        private FedbiotConfig config;
        private BaseModel model;
        private String host = "127.0.0.1";
        private int port = 0;
        private Path outputDir;
        private int maxMessageBytes = 512 * 1024 * 1024;
        private int maxReplyBytes;
        private AlignerSecurity security;

        Builder() {}

        /**
         * Sets how the API is protected: {@link AlignerSecurity#tls} or, explicitly, {@link AlignerSecurity#plaintext}.
         * Required: there is no default, so plain text is never chosen by omission.
         *
         * @param value the settings
         * @return this builder
         */
        public Builder setSecurity(AlignerSecurity value) {
            security = value;
            return this;
        }

        /**
         * Sets the server's configuration (paths already resolved): algorithm, plan, LoRA, optimizer, server and
         * client sections, {@code data.public}, seed and rounds.
         *
         * @param value the configuration
         * @return this builder
         */
        public Builder setConfig(FedbiotConfig value) {
            config = value;
            return this;
        }

        /**
         * Sets the full model (owned by the caller, who closes it after the aligner).
         *
         * @param value the model
         * @return this builder
         */
        public Builder setModel(BaseModel value) {
            model = value;
            return this;
        }

        /**
         * Sets the interface to listen on (default {@code 127.0.0.1}).
         *
         * @param value the host name or address
         * @return this builder
         */
        public Builder optHost(String value) {
            host = value;
            return this;
        }

        /**
         * Sets the port (default 0: a free one, see {@link EmulatorAligner#port()}).
         *
         * @param value the port
         * @return this builder
         */
        public Builder optPort(int value) {
            port = value;
            return this;
        }

        /**
         * Sets where {@code Finish} writes {@code adapter_lora.safetensors} and {@code emulator_lora.safetensors}.
         *
         * @param value the directory, or null for none
         * @return this builder
         */
        public Builder optOutputDir(Path value) {
            outputDir = value;
            return this;
        }

        /**
         * Sets the largest request accepted, in bytes (default 512 MiB).
         *
         * @param value the limit
         * @return this builder
         */
        public Builder optMaxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        /**
         * Sets the largest reply sent, in bytes (default: the request limit); a larger reply (e.g. the initial
         * state of a big model) is refused with {@code RESOURCE_EXHAUSTED} naming both sizes.
         *
         * @param value the limit
         * @return this builder
         */
        public Builder optMaxReplyBytes(int value) {
            maxReplyBytes = value;
            return this;
        }

        /**
         * Builds the aligner (loads and encodes the public data; does not listen yet).
         *
         * @return the aligner
         * @throws IllegalArgumentException if a required value is missing or out of range
         * @throws ConfigException if the configuration does not fit the model or names no public data
         */
        public EmulatorAligner build() {
            Objects.requireNonNull(config, "config (setConfig)");
            Objects.requireNonNull(model, "model (setModel)");
            Objects.requireNonNull(host, "host");
            if (security == null) {
                throw new IllegalArgumentException("setSecurity: choose AlignerSecurity.tls(...) or, for a "
                        + "loopback-only aligner, AlignerSecurity.plaintext(...) (the CLI's --insecure)");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
            }
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("max message bytes must be >= 1024, got " + maxMessageBytes);
            }
            if (maxReplyBytes != 0 && maxReplyBytes < 1024) {
                throw new IllegalArgumentException("max reply bytes must be >= 1024, got " + maxReplyBytes);
            }
            return new EmulatorAligner(this);
        }
    }
}
