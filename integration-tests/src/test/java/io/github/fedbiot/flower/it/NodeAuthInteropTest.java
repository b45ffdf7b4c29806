/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.flower.transport.NodeIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flower node authentication with Java nodes, by the commands of {@code docs/privacy.md}: a flwr 1.42.0
 * SuperLink with {@code --enable-supernode-auth} (TLS) admits only keys registered with
 * {@code flwr supernode register}. Node 0 uses the Java node's own key file, converted for registration with
 * {@code openssl pkey -pubout} and {@code ssh-keygen -i -m PKCS8}; node 1 a key made with
 * {@code ssh-keygen -t ecdsa -b 384}, loaded as it is. Both take part in two rounds of Flower's FedAvg; neither
 * private key appears in the SuperLink's log.
 */
class NodeAuthInteropTest {
    @TempDir
    Path work;

    private static boolean has(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void registeredJavaAndSshKeygenKeysJoinAnAuthenticatedSuperLink() throws Exception {
        assumeTrue(has("openssl") && has("ssh-keygen"), "openssl or ssh-keygen is not installed");
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);

        // Node 0: the Java node's key file (created by the node on first use), converted for flwr.
        Path javaKey = work.resolve("node0.key");
        NodeIdentity.loadOrCreate(javaKey);
        sh("openssl", "pkey", "-in", javaKey.toString(), "-pubout", "-out", "node0.pub.pem");
        Files.writeString(work.resolve("node0.pub"), sh("ssh-keygen", "-i", "-m", "PKCS8", "-f", "node0.pub.pem"));
        // Node 1: a key made with ssh-keygen, as for Python's flower-supernode --auth-supernode-private-key.
        Path sshKey = work.resolve("node1_ecdsa");
        sh("ssh-keygen", "-q", "-t", "ecdsa", "-b", "384", "-N", "", "-C", "node1", "-f", sshKey.toString());

        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("link"), false, true, 0,
                List.of("--enable-supernode-auth"))) {
            String conn = link.writeCliConfig();
            for (String pub : List.of("node0.pub", "node1_ecdsa.pub")) {
                String out = link.flwr(Duration.ofMinutes(1), "supernode", "register", work.resolve(pub).toString(),
                        conn);
                assertThat(out).as(pub).contains("registered successfully");
            }
            List<RecordingClient> clients = List.of(new RecordingClient(0), new RecordingClient(1));
            List<Path> keys = List.of(javaKey, sshKey);
            List<SuperNode> nodes = new ArrayList<>();
            try {
                for (int k = 0; k < 2; k++) {
                    nodes.add(SuperNode.builder().setSuperlink(link.fleetAddress())
                            .optRootCertificates(link.tls().resolve("ca.pem")).optKeyFile(keys.get(k))
                            .setClientApp(clients.get(k).toClientApp()).optPollInterval(Duration.ofMillis(200))
                            .optNodeConfig(Map.of("partition-id", k)).build().start());
                }
                FedAvgInteropTest.runAndCheck(link, work, clients, 2);
                assertThat(nodes).allSatisfy(n -> assertThat(n.errorRepliesSent()).isZero());
            } finally {
                nodes.forEach(SuperNode::close);
            }
            String log = link.logText();
            for (Path key : keys) {
                for (String line : privateKeyLines(key)) {
                    assertThat(log).as("the SuperLink log holds no private key line of " + key).doesNotContain(line);
                }
            }
        }
    }

    /** The base64 lines of a key file's private key block (its public key block may be logged, it is public). */
    private static List<String> privateKeyLines(Path key) throws Exception {
        List<String> out = new ArrayList<>();
        boolean inPrivate = false;
        for (String line : Files.readAllLines(key)) {
            if (line.startsWith("-----BEGIN")) {
                inPrivate = line.contains("PRIVATE KEY");
            } else if (line.startsWith("-----END")) {
                inPrivate = false;
            } else if (inPrivate && line.length() > 16) {
                out.add(line);
            }
        }
        assertThat(out).as("private key lines of " + key).isNotEmpty();
        return out;
    }
}
