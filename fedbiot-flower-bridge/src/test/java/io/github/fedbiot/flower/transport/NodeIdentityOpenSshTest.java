/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys made with {@code ssh-keygen}, the format Flower's SuperNode and {@code flwr supernode register} use, and the
 * conversion of the Java node's own key file for {@code flwr supernode register}, run with the real tools.
 */
class NodeIdentityOpenSshTest {
    @TempDir
    Path dir;

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    private static boolean has(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void loadsAnSshKeygenEcdsaKeyWithTheSamePublicKey() throws Exception {
        assumeTrue(has("ssh-keygen"), "ssh-keygen is not installed");
        for (String bits : new String[] {"384", "256"}) {
            Path key = dir.resolve("node_" + bits);
            run(dir, "ssh-keygen", "-q", "-t", "ecdsa", "-b", bits, "-N", "", "-C", "node", "-f", key.toString());
            assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
            NodeIdentity id = NodeIdentity.load(key);
            // ssh-keygen's own view of the public key, as SubjectPublicKeyInfo PEM.
            String spki = run(dir, "ssh-keygen", "-e", "-m", "PKCS8", "-f", key + ".pub");
            assertThat(new String(id.publicKeyPem(), StandardCharsets.US_ASCII).replaceAll("\\s", ""))
                    .isEqualTo(spki.replaceAll("\\s", ""));
        }
    }

    @Test
    void theJavaKeyFileConvertsToTheOpenSshPublicKeyFlwrRegisters() throws Exception {
        assumeTrue(has("ssh-keygen") && has("openssl"), "ssh-keygen or openssl is not installed");
        Path key = dir.resolve("node.key");
        NodeIdentity id = NodeIdentity.loadOrCreate(key);
        // The commands docs/privacy.md gives: public key out of the key file, then OpenSSH format.
        run(dir, "openssl", "pkey", "-in", key.toString(), "-pubout", "-out", "node.pub.pem");
        String pub = run(dir, "ssh-keygen", "-i", "-m", "PKCS8", "-f", "node.pub.pem");
        assertThat(pub).startsWith("ecdsa-sha2-nistp384 ");
        Files.writeString(dir.resolve("node.pub"), pub);
        String back = run(dir, "ssh-keygen", "-e", "-m", "PKCS8", "-f", "node.pub");
        assertThat(back.replaceAll("\\s", "")).isEqualTo(new String(id.publicKeyPem(), StandardCharsets.US_ASCII)
                .replaceAll("\\s", ""));
    }

    @Test
    void passphrasesAndNonEcKeysAreRefusedWithoutShowingTheKey() throws Exception {
        assumeTrue(has("ssh-keygen"), "ssh-keygen is not installed");
        Path enc = dir.resolve("enc");
        run(dir, "ssh-keygen", "-q", "-t", "ecdsa", "-b", "384", "-N", "a passphrase", "-f", enc.toString());
        assertThatThrownBy(() -> NodeIdentity.load(enc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("passphrase").hasMessageContaining("ssh-keygen -p");
        Path ed = dir.resolve("ed");
        run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ed.toString());
        List<String> body = new ArrayList<>();
        for (String line : Files.readAllLines(ed)) {
            if (!line.startsWith("-----")) {
                body.add(line);
            }
        }
        assertThatThrownBy(() -> NodeIdentity.load(ed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ECDSA").satisfies(e -> body.forEach(l ->
                        assertThat(e.getMessage()).doesNotContain(l)));
    }
}
