/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void timestampHasFlowersFormatAndTheSignatureVerifies() throws Exception {
        NodeIdentity id = NodeIdentity.generate();
        NodeIdentity.SignedTimestamp st = id.signTimestamp(Instant.parse("2026-11-26T08:15:02.123456Z"));
        assertThat(st.timestamp()).isEqualTo("2026-11-26T08:15:02.123456+00:00");
        String pem = new String(id.publicKeyPem(), StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PublicKey pk = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        assertThat(((ECPublicKey) pk).getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(pk);
        v.update(st.timestamp().getBytes(StandardCharsets.US_ASCII));
        assertThat(v.verify(st.signature())).isTrue();
    }

    @Test
    void keyFileKeepsTheIdentity() throws Exception {
        Path f = dir.resolve("sub/node.key");
        NodeIdentity a = NodeIdentity.loadOrCreate(f);
        NodeIdentity b = NodeIdentity.loadOrCreate(f);
        assertThat(b.publicKeyPem()).isEqualTo(a.publicKeyPem());
        assertThat(Files.getPosixFilePermissions(f))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void badKeyFilesAreNamed() throws Exception {
        Path f = dir.resolve("bad.key");
        Files.writeString(f, "hello");
        assertThatThrownBy(() -> NodeIdentity.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("PRIVATE KEY");
        Path g = dir.resolve("mismatch.key");
        String a = Files.readString(save(NodeIdentity.generate(), "a.key"));
        String b = Files.readString(save(NodeIdentity.generate(), "b.key"));
        Files.writeString(g, a.substring(0, a.indexOf("-----BEGIN PUBLIC KEY")) + b.substring(b.indexOf("-----BEGIN PUBLIC KEY")));
        assertThatThrownBy(() -> NodeIdentity.load(g)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public key does not match the private key");
    }

    private Path save(NodeIdentity id, String name) throws Exception {
        Path p = dir.resolve(name);
        id.save(p);
        return p;
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> FleetClientOptions.builder().build())
                .hasMessageContaining("superlink address is required");
        assertThatThrownBy(() -> FleetClientOptions.builder().setSuperlink("localhost"))
                .hasMessageContaining("must be host:port");
        assertThatThrownBy(() -> FleetClientOptions.builder().setSuperlink("localhost:99999"))
                .hasMessageContaining("not in 1..65535");
        assertThatThrownBy(() -> FleetClientOptions.builder().setSuperlink("https://h:1").optInsecure(true).build())
                .hasMessageContaining("contradicts optInsecure(true)");
        assertThatThrownBy(() -> FleetClientOptions.builder().setSuperlink("h:1")
                .optRootCertificates(dir.resolve("missing.pem")).build())
                .hasMessageContaining("missing.pem").hasMessageContaining("not readable");
        FleetClientOptions o = FleetClientOptions.builder().setSuperlink("http://[::1]:9093/").build();
        assertThat(o.insecure()).isTrue();
        assertThat(o.baseUri().toString()).isEqualTo("http://[::1]:9093");
        assertThat(FleetClientOptions.builder().setSuperlink("10.0.0.1:9092").build().baseUri().toString())
                .isEqualTo("https://10.0.0.1:9092");
    }
}
