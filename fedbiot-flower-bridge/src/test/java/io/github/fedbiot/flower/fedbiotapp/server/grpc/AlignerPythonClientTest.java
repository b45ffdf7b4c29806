/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.flower.fedbiotapp.server.AlignerFixtures;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ServerApp's side: {@code fedbiot_app.aligner.AlignerClient} in the pinned flwr venv reaches a TLS aligner
 * with {@code grpc.ssl_channel_credentials} and the token file of its run config; without the token or with a
 * wrong one it gets {@code UNAUTHENTICATED}; without a TLS setting it refuses to start; a plain-text channel to the
 * TLS aligner never connects. Nothing it prints shows the token.
 */
class AlignerPythonClientTest {
    @TempDir
    Path work;

    @Test
    void pythonClientUsesTlsAndTheToken() throws Exception {
        Path bin = FlowerEnv.venvBin(FlowerEnv.VENV, FlowerEnv.REQUIREMENTS);
        TestCertificates certs = TestCertificates.create(work.resolve("tls"), "fedbiot test CA");
        Path tokenFile = Files.writeString(work.resolve("aligner.token"), AlignerSecurityTest.TOKEN + "\n");
        Path probe = Path.of(getClass().getResource("aligner_client_probe.py").toURI());
        try (DjlBaseModel model = AlignerFixtures.tinyModel();
                EmulatorAligner aligner = EmulatorAligner.builder()
                        .setConfig(AlignerFixtures.config(work, "public: public.jsonl")).setModel(model)
                        .setSecurity(AlignerSecurity.tls(certs.serverCert(), certs.serverKey(), null,
                                BearerToken.read(tokenFile))).build().start()) {
            Process p = new ProcessBuilder(bin.resolve("python").toString(), probe.toString(),
                    FlowerEnv.root().resolve("python/flower/fedbiot_app").toString(), aligner.address(),
                    certs.caCert().toString(), tokenFile.toString(), work.resolve("wrong.token").toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).doesNotContain(AlignerSecurityTest.TOKEN);
            JsonNode r = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
            assertThat(r.get("tls_token").asText()).isEqualTo("ok fedbiot");
            assertThat(r.get("tls_no_token").asText()).startsWith("rpc UNAUTHENTICATED")
                    .contains("no 'authorization' metadata");
            assertThat(r.get("tls_wrong_token").asText()).startsWith("rpc UNAUTHENTICATED").contains("wrong");
            assertThat(r.get("no_tls_setting").asText()).startsWith("ValueError")
                    .contains("aligner-root-certificates").contains("aligner-insecure");
            assertThat(r.get("plain_to_tls").asText()).startsWith("RuntimeError").contains("did not accept");
            assertThat(r.get("repr").asText()).contains("token=set");
        }
    }
}
