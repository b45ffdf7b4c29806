/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.flower.fedbiotapp.server.AlignerFixtures;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.AlignRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.EmulatorAlignerGrpc;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.InitialStateRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.NodeUpdate;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.Tensor;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.TensorSet;
import io.github.fedbiot.flower.local.TestCertificates;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aligner's protection over real gRPC: TLS with a bearer token or client certificates admits the right caller
 * and refuses the others ({@code UNAUTHENTICATED}, or the TLS handshake), plain text must be chosen by name,
 * TLS needs some client authentication, bad key files and oversized messages are refused with a clear message,
 * and no token or key material appears in the logs or in any message.
 */
class AlignerSecurityTest {
    static final String TOKEN = "f3dB10t-test-token-7c1e9a55d2b84e06";
    private static final String WRONG = "wrong-token-0123456789abcdef";

    @TempDir
    static Path work;

    private static DjlBaseModel model;
    private static FedbiotConfig config;
    private static TestCertificates certs;
    private static TestCertificates otherCa;
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        originalErr = System.err;
        // slf4j-simple writes to the current System.err: tee it to check the logs for secrets.
        System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true, StandardCharsets.UTF_8));
        model = AlignerFixtures.tinyModel();
        config = AlignerFixtures.config(work, "public: public.jsonl");
        certs = TestCertificates.create(work.resolve("tls"), "fedbiot test CA");
        otherCa = TestCertificates.create(work.resolve("other"), "someone else's CA");
    }

    @AfterAll
    static void tearDown() throws Exception {
        System.setErr(originalErr);
        if (model != null) {
            model.close();
        }
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the aligner logged its refusals").contains("refused GetInitialState");
        assertNoSecret(log);
    }

    /** Fails if the text holds a token or the base64 body of any private key of the test. */
    static void assertNoSecret(String text) throws Exception {
        assertThat(text).doesNotContain(TOKEN).doesNotContain(WRONG);
        for (Path key : List.of(certs.serverKey(), certs.clientKey(), otherCa.clientKey())) {
            for (String line : Files.readAllLines(key)) {
                if (!line.startsWith("-----") && line.length() > 16) {
                    assertThat(text).doesNotContain(line);
                }
            }
        }
    }

    private EmulatorAligner start(AlignerSecurity security, int maxMessage, int maxReply) {
        return EmulatorAligner.builder().setConfig(config).setModel(model).setSecurity(security)
                .optMaxMessageBytes(maxMessage).optMaxReplyBytes(maxReply).build().start();
    }

    private EmulatorAlignerGrpc.EmulatorAlignerBlockingStub stub(EmulatorAligner a, ChannelCredentials creds,
            String token) {
        ManagedChannel ch = Grpc.newChannelBuilder(a.address(), creds).maxInboundMessageSize(64 << 20).build();
        channels.add(ch);
        var stub = EmulatorAlignerGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
        if (token != null) {
            Metadata m = new Metadata();
            m.put(TokenAuthInterceptor.AUTHORIZATION, "Bearer " + token);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
        }
        return stub;
    }

    private static ChannelCredentials trusting(TestCertificates ca) {
        try {
            return TlsChannelCredentials.newBuilder().trustManager(ca.caCert().toFile()).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static StatusRuntimeException refusal(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
    }

    private void closeChannels() throws InterruptedException {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        channels.clear();
    }

    @Test
    void tlsWithTokenAdmitsOnlyTheRightToken() throws Exception {
        AlignerSecurity tls = AlignerSecurity.tls(certs.serverCert(), certs.serverKey(), null, BearerToken.of(TOKEN));
        assertThat(tls.toString()).doesNotContain(TOKEN);
        try (EmulatorAligner a = start(tls, 1 << 20, 1 << 20)) {
            InitialStateRequest req = InitialStateRequest.getDefaultInstance();
            assertThat(stub(a, trusting(certs), TOKEN).getInitialState(req).getAlgorithm()).isEqualTo("fedbiot");

            for (String bad : new String[] {null, WRONG, TOKEN + "x", TOKEN.substring(1)}) {
                StatusRuntimeException e = refusal(() -> stub(a, trusting(certs), bad).getInitialState(req));
                assertThat(e.getStatus().getCode()).as(String.valueOf(bad)).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains(bad == null ? "no 'authorization'" : "wrong");
                assertNoSecret(e.getMessage());
            }
            // Not Bearer: refused as malformed.
            Metadata basic = new Metadata();
            basic.put(TokenAuthInterceptor.AUTHORIZATION, "Basic " + TOKEN);
            StatusRuntimeException e = refusal(() -> stub(a, trusting(certs), null)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(basic)).getInitialState(req));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            // A plain-text client, or one that does not trust the aligner's CA, never gets through the handshake.
            assertThat(refusal(() -> stub(a, InsecureChannelCredentials.create(), TOKEN).getInitialState(req))
                    .getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(refusal(() -> stub(a, trusting(otherCa), TOKEN).getInitialState(req)).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            closeChannels();
        }
    }

    @Test
    void mutualTlsAdmitsOnlyClientsOfItsCa() throws Exception {
        AlignerSecurity mtls = AlignerSecurity.tls(certs.serverCert(), certs.serverKey(), certs.caCert(), null);
        try (EmulatorAligner a = start(mtls, 1 << 20, 1 << 20)) {
            InitialStateRequest req = InitialStateRequest.getDefaultInstance();
            ChannelCredentials withCert = TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile())
                    .keyManager(certs.clientCert().toFile(), certs.clientKey().toFile()).build();
            assertThat(stub(a, withCert, null).getInitialState(req).getRounds()).isEqualTo(3);
            assertThat(refusal(() -> stub(a, trusting(certs), null).getInitialState(req)).getStatus().getCode())
                    .as("no client certificate").isEqualTo(Status.Code.UNAVAILABLE);
            ChannelCredentials foreign = TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile())
                    .keyManager(otherCa.clientCert().toFile(), otherCa.clientKey().toFile()).build();
            assertThat(refusal(() -> stub(a, foreign, null).getInitialState(req)).getStatus().getCode())
                    .as("a client certificate of another CA").isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            closeChannels();
        }
    }

    @Test
    void plainTextMustBeChosenAndTlsNeedsClientAuthentication() {
        assertThatThrownBy(() -> EmulatorAligner.builder().setConfig(config).setModel(model).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setSecurity")
                .hasMessageContaining("plaintext");
        assertThatThrownBy(() -> AlignerSecurity.tls(certs.serverCert(), certs.serverKey(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client authentication");
        assertThatThrownBy(() -> AlignerSecurity.tls(work.resolve("nope.pem"), certs.serverKey(), null,
                BearerToken.of(TOKEN))).isInstanceOf(FedbiotException.class).hasMessageContaining("nope.pem");
        assertThatThrownBy(() -> BearerToken.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16").hasMessageNotContaining("short");
    }

    @Test
    void tokenFilesAreReadWithoutEchoingThem() throws Exception {
        Path good = Files.writeString(work.resolve("good.token"), TOKEN + "\n");
        assertThat(BearerToken.read(good).matches(TOKEN)).isTrue();
        Path spaced = Files.writeString(work.resolve("spaced.token"), "has a space in the middle of it\n");
        assertThatThrownBy(() -> BearerToken.read(spaced)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("spaced.token").hasMessageNotContaining("middle");
        assertThatThrownBy(() -> BearerToken.read(work.resolve("missing.token")))
                .isInstanceOf(FedbiotException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aKeyFileThatIsNoKeyFailsAtStartWithoutShowingIt() throws Exception {
        String secretBody = "U0VDUkVULUtFWS1NQVRFUklBTC1ET05PVExPRy0xMjM0NTY3ODkw";
        Path badKey = Files.writeString(work.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\n" + secretBody
                + "\n-----END PRIVATE KEY-----\n");
        AlignerSecurity bad = AlignerSecurity.tls(certs.serverCert(), badKey, null, BearerToken.of(TOKEN));
        EmulatorAligner a = EmulatorAligner.builder().setConfig(config).setModel(model).setSecurity(bad).build();
        try {
            assertThatThrownBy(a::start).isInstanceOf(FedbiotException.class).hasMessageContaining("bad.key")
                    .hasMessageNotContaining(secretBody);
        } finally {
            a.close();
        }
        assertThat(LOG.toString(StandardCharsets.UTF_8)).doesNotContain(secretBody);
    }

    @Test
    void oversizedRequestsAndRepliesAreRefused() throws Exception {
        AlignerSecurity tls = AlignerSecurity.tls(certs.serverCert(), certs.serverKey(), null, BearerToken.of(TOKEN));
        try (EmulatorAligner small = start(tls, 16 * 1024, 1024)) {
            var stub = stub(small, trusting(certs), TOKEN);
            StatusRuntimeException reply = refusal(() -> stub.getInitialState(InitialStateRequest.getDefaultInstance()));
            assertThat(reply.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(reply.getStatus().getDescription()).contains("reply limit of 1024 bytes")
                    .contains("--max-reply-mb");

            TensorSet huge = TensorSet.newBuilder().addTensors(Tensor.newBuilder().setName("huge").addShape(8192)
                    .setData(ByteString.copyFrom(new byte[32768]))).build();
            AlignRequest big = AlignRequest.newBuilder().setRound(2).setMinAccepted(1).addUpdates(NodeUpdate
                    .newBuilder().setNodeId("1").setNumExamples(1).setAdapterLora(huge)).build();
            StatusRuntimeException request = refusal(() -> stub.align(big));
            assertThat(request.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(small.session().emulatorForRound(2)).isNull();
        } finally {
            closeChannels();
        }
    }

    /** Copies everything written to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            synchronized (b) {
                b.write(x);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
