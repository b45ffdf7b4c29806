/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a transport reaches the SuperLink's Fleet API.
 *
 * <p>{@code superlink} is {@code host:port} (or {@code http://host:port} / {@code https://host:port} for the
 * HTTP transport). As in Flower, TLS is on unless {@link Builder#optInsecure(boolean)} turns it off; the server
 * certificate is checked against {@link Builder#optRootCertificates(Path)} or, without it, the JVM's trust store.
 */
public final class FleetClientOptions {
    private final String host;
    private final int port;
    private final boolean insecure;
    private final Path rootCertificates;
    private final Duration rpcDeadline;
    private final int maxMessageBytes;
    private final FleetProtocol protocol;

    private FleetClientOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.insecure = b.insecure;
        this.rootCertificates = b.rootCertificates;
        this.rpcDeadline = b.rpcDeadline;
        this.maxMessageBytes = b.maxMessageBytes;
        this.protocol = b.protocol;
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the SuperLink host. @return the host */
    public String host() {
        return host;
    }

    /** Returns the SuperLink Fleet port. @return the port */
    public int port() {
        return port;
    }

    /** Returns whether TLS is off. @return true for plaintext */
    public boolean insecure() {
        return insecure;
    }

    /** Returns the PEM file of trusted CA certificates, if set. @return the path */
    public Optional<Path> rootCertificates() {
        return Optional.ofNullable(rootCertificates);
    }

    /** Returns the deadline of one call. @return the deadline */
    public Duration rpcDeadline() {
        return rpcDeadline;
    }

    /** Returns the largest response accepted. @return bytes */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Returns the protocol the SuperLink speaks. @return HTTP unless set otherwise */
    public FleetProtocol protocol() {
        return protocol;
    }

    /** Returns {@code http(s)://host:port}. @return the base URI */
    public URI baseUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create((insecure ? "http" : "https") + "://" + h + ":" + port);
    }

    /** Builds {@link FleetClientOptions}; {@code superlink} is required. */
    public static final class Builder {
        private String host;
        private int port;
        private Boolean schemeInsecure;
        private boolean insecure;
        private Path rootCertificates;
        private Duration rpcDeadline = Duration.ofSeconds(30);
        private int maxMessageBytes = Integer.MAX_VALUE - 1024;
        private FleetProtocol protocol = FleetProtocol.HTTP;

        Builder() {}

        /**
         * Sets the SuperLink Fleet address: {@code host:port}, {@code [ipv6]:port} or {@code http(s)://host:port}.
         *
         * @param address the address
         * @return this builder
         * @throws IllegalArgumentException if it has no valid port
         */
        public Builder setSuperlink(String address) {
            Objects.requireNonNull(address, "superlink");
            String a = address.strip();
            schemeInsecure = null;
            if (a.startsWith("http://") || a.startsWith("https://")) {
                schemeInsecure = a.startsWith("http://");
                a = a.substring(a.indexOf("://") + 3);
                if (a.endsWith("/")) {
                    a = a.substring(0, a.length() - 1);
                }
            }
            int colon = a.lastIndexOf(':');
            if (colon <= 0 || colon == a.length() - 1) {
                throw new IllegalArgumentException("superlink address '" + address + "' must be host:port");
            }
            String h = a.substring(0, colon);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            int p;
            try {
                p = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("superlink address '" + address + "' has no numeric port", e);
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("superlink port " + p + " is not in 1..65535");
            }
            host = h;
            port = p;
            return this;
        }

        /**
         * Turns TLS off (Flower's {@code --insecure}); an {@code http://} address implies it.
         *
         * @param value true for plaintext
         * @return this builder
         */
        public Builder optInsecure(boolean value) {
            insecure = value;
            return this;
        }

        /**
         * Sets the PEM file of CA certificates that sign the SuperLink's certificate (Flower's
         * {@code --root-certificates}).
         *
         * @param pemFile the file
         * @return this builder
         */
        public Builder optRootCertificates(Path pemFile) {
            rootCertificates = pemFile;
            return this;
        }

        /**
         * Sets the deadline of each call (default 30 s).
         *
         * @param deadline the deadline
         * @return this builder
         */
        public Builder optRpcDeadline(Duration deadline) {
            rpcDeadline = Objects.requireNonNull(deadline, "rpcDeadline");
            return this;
        }

        /**
         * Sets the largest response the transport accepts (default about 2 GiB).
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder optMaxMessageBytes(int bytes) {
            maxMessageBytes = bytes;
            return this;
        }

        /**
         * Sets the protocol of the SuperLink's Fleet API (default {@link FleetProtocol#HTTP}).
         *
         * @param value the protocol
         * @return this builder
         */
        public Builder optProtocol(FleetProtocol value) {
            protocol = Objects.requireNonNull(value, "protocol");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException naming the bad setting
         */
        public FleetClientOptions build() {
            if (host == null) {
                throw new IllegalArgumentException("superlink address is required (setSuperlink)");
            }
            if (schemeInsecure != null) {
                if (!schemeInsecure && insecure) {
                    throw new IllegalArgumentException("an https:// superlink address contradicts optInsecure(true)");
                }
                insecure = insecure || schemeInsecure;
            }
            if (rootCertificates != null && insecure) {
                throw new IllegalArgumentException("root certificates " + rootCertificates
                        + " are set but TLS is off (insecure)");
            }
            if (rootCertificates != null && !Files.isReadable(rootCertificates)) {
                throw new IllegalArgumentException("root certificates file " + rootCertificates + " is not readable");
            }
            if (rpcDeadline.isNegative() || rpcDeadline.isZero()) {
                throw new IllegalArgumentException("rpcDeadline must be > 0, got " + rpcDeadline);
            }
            if (maxMessageBytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be > 0, got " + maxMessageBytes);
            }
            return new FleetClientOptions(this);
        }
    }
}
