/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport.http;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.github.fedbiot.flower.proto.ActivateNodeRequest;
import io.github.fedbiot.flower.proto.ActivateNodeResponse;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedRequest;
import io.github.fedbiot.flower.proto.ConfirmMessageReceivedResponse;
import io.github.fedbiot.flower.proto.DeactivateNodeRequest;
import io.github.fedbiot.flower.proto.DeactivateNodeResponse;
import io.github.fedbiot.flower.proto.GetFabRequest;
import io.github.fedbiot.flower.proto.GetFabResponse;
import io.github.fedbiot.flower.proto.GetRunRequest;
import io.github.fedbiot.flower.proto.GetRunResponse;
import io.github.fedbiot.flower.proto.PullMessagesRequest;
import io.github.fedbiot.flower.proto.PullMessagesResponse;
import io.github.fedbiot.flower.proto.PullObjectRequest;
import io.github.fedbiot.flower.proto.PullObjectResponse;
import io.github.fedbiot.flower.proto.PushMessagesRequest;
import io.github.fedbiot.flower.proto.PushMessagesResponse;
import io.github.fedbiot.flower.proto.PushObjectRequest;
import io.github.fedbiot.flower.proto.PushObjectResponse;
import io.github.fedbiot.flower.proto.RegisterNodeFleetRequest;
import io.github.fedbiot.flower.proto.RegisterNodeFleetResponse;
import io.github.fedbiot.flower.proto.SendNodeHeartbeatRequest;
import io.github.fedbiot.flower.proto.SendNodeHeartbeatResponse;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetRequest;
import io.github.fedbiot.flower.proto.UnregisterNodeFleetResponse;
import io.github.fedbiot.flower.transport.FleetClientOptions;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.flower.transport.FleetTransport;
import io.github.fedbiot.flower.transport.FlowerApiErrors;
import io.github.fedbiot.flower.transport.NodeIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FleetTransport} over Flower's protobuf-over-HTTP Fleet API (flwr 1.40+): each RPC is
 * {@code POST <base>/v1/fleet/<kebab-case rpc>} with the serialized request as body, {@code Content-Type:
 * application/protobuf}, and the signed identity in the {@code flwr-public-key}, {@code flwr-timestamp} and
 * {@code flwr-signature} headers (base64 values). A 200 answer carries the serialized response; errors carry
 * Flower's JSON error payload.
 */
public final class HttpFleetTransport implements FleetTransport {
    /** The media type of requests and responses. */
    public static final String PROTOBUF_MEDIA_TYPE = "application/protobuf";
    /** The route prefix of the Fleet API. */
    public static final String FLEET_PREFIX = "/v1/fleet/";

    private static final Logger logger = LoggerFactory.getLogger(HttpFleetTransport.class);

    private final FleetClientOptions options;
    private final NodeIdentity identity;
    private final HttpClient client;
    private final URI base;
    private final String publicKeyB64;

    private HttpFleetTransport(FleetClientOptions options, NodeIdentity identity, HttpClient client) {
        this.options = options;
        this.identity = identity;
        this.client = client;
        this.base = options.baseUri();
        this.publicKeyB64 = Base64.getEncoder().encodeToString(identity.publicKeyPem());
    }

    /**
     * Creates a transport.
     *
     * @param options where the SuperLink is
     * @param identity the node's key pair
     * @return the transport
     * @throws IllegalArgumentException if the root certificates cannot be read
     */
    public static HttpFleetTransport create(FleetClientOptions options, NodeIdentity identity) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.rpcDeadline());
        if (!options.insecure() && options.rootCertificates().isPresent()) {
            b.sslContext(sslContext(options.rootCertificates().get()));
        }
        return new HttpFleetTransport(options, identity, b.build());
    }

    static SSLContext sslContext(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("root certificates file " + pem + " holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read root certificates " + pem + ": " + e.getMessage(), e);
        }
    }

    private <T extends MessageLite> T call(String path, String rpc, MessageLite request, Parser<T> parser) {
        NodeIdentity.SignedTimestamp st = identity.signTimestamp(Instant.now());
        HttpRequest req = HttpRequest.newBuilder(base.resolve(FLEET_PREFIX + path))
                .timeout(options.rpcDeadline())
                .header("Content-Type", PROTOBUF_MEDIA_TYPE)
                .header("Accept", PROTOBUF_MEDIA_TYPE)
                .header(NodeIdentity.FLEET_HTTP_PUBLIC_KEY_HEADER, publicKeyB64)
                .header(NodeIdentity.TIMESTAMP_HEADER, st.timestamp())
                .header(NodeIdentity.FLEET_HTTP_SIGNATURE_HEADER, Base64.getEncoder().encodeToString(st.signature()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                .build();
        HttpResponse<byte[]> res;
        try {
            res = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new FleetException(rpc + " timed out after " + options.rpcDeadline() + " at " + endpoint(),
                    FleetException.Kind.UNAVAILABLE, "DEADLINE_EXCEEDED", e);
        } catch (IOException e) {
            throw new FleetException(rpc + " could not reach the SuperLink at " + endpoint() + ": " + e,
                    FleetException.Kind.UNAVAILABLE, "UNAVAILABLE", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException(rpc + " interrupted", FleetException.Kind.UNAVAILABLE, "CANCELLED", e);
        }
        int status = res.statusCode();
        byte[] body = res.body();
        if (status == 200) {
            if (body.length > options.maxMessageBytes()) {
                throw new FleetException(rpc + " response of " + body.length + " bytes exceeds the limit of "
                        + options.maxMessageBytes(), FleetException.Kind.REJECTED, "RESOURCE_EXHAUSTED");
            }
            String ct = res.headers().firstValue("content-type").orElse("");
            if (!ct.startsWith(PROTOBUF_MEDIA_TYPE)) {
                throw new FleetException(rpc + " answered with Content-Type '" + ct + "', expected "
                        + PROTOBUF_MEDIA_TYPE, FleetException.Kind.REJECTED, "INVALID_CONTENT_TYPE");
            }
            try {
                // Aliasing: bytes fields (object contents) become views of the body instead of copies of it.
                CodedInputStream in = CodedInputStream.newInstance(body);
                in.enableAliasing(true);
                T parsed = parser.parseFrom(in);
                in.checkLastTagWas(0);
                return parsed;
            } catch (InvalidProtocolBufferException e) {
                throw new FleetException(rpc + " answered with an invalid protobuf body: " + e.getMessage(),
                        FleetException.Kind.REJECTED, "INVALID_PROTOBUF", e);
            }
        }
        FlowerApiErrors.ApiError err = FlowerApiErrors.parse(new String(body, StandardCharsets.UTF_8));
        FleetException.Kind kind;
        if (status == 401) {
            kind = FleetException.Kind.UNAUTHENTICATED;
        } else if (status == 502 || status == 503 || status == 504) {
            kind = FleetException.Kind.UNAVAILABLE;
        } else {
            kind = FlowerApiErrors.kindOf(err.code(), FleetException.Kind.REJECTED);
        }
        String code = err.code() >= 0 ? String.valueOf(err.code()) : "HTTP " + status;
        logger.debug("[Node] POST {}{}: HTTP {} {}", FLEET_PREFIX, path, status, err.detail());
        throw new FleetException(rpc + " failed: HTTP " + status + (err.code() >= 0 ? " code " + err.code() : "")
                + ": " + err.detail(), kind, code);
    }

    /** {@inheritDoc} */
    @Override
    public RegisterNodeFleetResponse registerNode(RegisterNodeFleetRequest request) {
        return call("register-node", "RegisterNode", request, RegisterNodeFleetResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public ActivateNodeResponse activateNode(ActivateNodeRequest request) {
        return call("activate-node", "ActivateNode", request, ActivateNodeResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public DeactivateNodeResponse deactivateNode(DeactivateNodeRequest request) {
        return call("deactivate-node", "DeactivateNode", request, DeactivateNodeResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public UnregisterNodeFleetResponse unregisterNode(UnregisterNodeFleetRequest request) {
        return call("unregister-node", "UnregisterNode", request, UnregisterNodeFleetResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public SendNodeHeartbeatResponse sendNodeHeartbeat(SendNodeHeartbeatRequest request) {
        return call("send-node-heartbeat", "SendNodeHeartbeat", request, SendNodeHeartbeatResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public PullMessagesResponse pullMessages(PullMessagesRequest request) {
        return call("pull-messages", "PullMessages", request, PullMessagesResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public PushMessagesResponse pushMessages(PushMessagesRequest request) {
        return call("push-messages", "PushMessages", request, PushMessagesResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public GetRunResponse getRun(GetRunRequest request) {
        return call("get-run", "GetRun", request, GetRunResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public GetFabResponse getFab(GetFabRequest request) {
        return call("get-fab", "GetFab", request, GetFabResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public PushObjectResponse pushObject(PushObjectRequest request) {
        return call("push-object", "PushObject", request, PushObjectResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public PullObjectResponse pullObject(PullObjectRequest request) {
        return call("pull-object", "PullObject", request, PullObjectResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public ConfirmMessageReceivedResponse confirmMessageReceived(ConfirmMessageReceivedRequest request) {
        return call("confirm-message-received", "ConfirmMessageReceived", request,
                ConfirmMessageReceivedResponse.parser());
    }

    /** {@inheritDoc} */
    @Override
    public String endpoint() {
        return base.toString();
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        // java.net.http.HttpClient (Java 17) has no close(); its connections end with the client.
    }
}
