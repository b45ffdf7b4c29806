/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.flower.transport.FleetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flwr 1.42.0 SuperLink with {@code --enable-supernode-auth} (TLS) accepts only pre-registered keys: a Java node
 * with an unknown key is refused, and {@link SuperNode#run()} ends with an exception that says so instead of
 * retrying forever.
 */
class NodeRefusedTest {
    @TempDir
    Path work;

    @Test
    void unregisteredKeyIsRefusedWithAClearError() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, true, 0,
                List.of("--enable-supernode-auth"))) {
            ClientApp app = ClientApp.builder().optQuery((m, c) -> RecordDict.empty()).build();
            try (SuperNode node = SuperNode.builder().setSuperlink(link.fleetAddress())
                    .optRootCertificates(link.tls().resolve("ca.pem")).setClientApp(app).build()) {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                        assertThatThrownBy(node::run).isInstanceOf(FleetException.class)
                                .hasMessageContaining("refused to activate this node"));
            }
        }
    }
}
