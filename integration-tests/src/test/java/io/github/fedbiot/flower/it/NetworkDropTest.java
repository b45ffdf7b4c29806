/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network between a Java node and the flwr 1.42.0 SuperLink drops while the node computes its round-1 reply
 * and comes back 5 s later: the node keeps the computed reply, retries with backoff and delivers it, and FedAvg
 * completes with the right result.
 */
class NetworkDropTest {
    @TempDir
    Path work;

    @Test
    void computedReplyIsDeliveredAfterTheNetworkComesBack() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false);
                TcpProxy proxy = new TcpProxy(link.fleetPort())) {
            RecordingClient dropping = new RecordingClient(0) {
                @Override
                public FitResult fit(NamedTensors parameters, ConfigRecord config) {
                    if (config.getLong("server-round") == 1) {
                        proxy.setDown(true);
                        timer.schedule(() -> proxy.setDown(false), 5, TimeUnit.SECONDS);
                    }
                    return super.fit(parameters, config);
                }
            };
            RecordingClient other = new RecordingClient(1);
            try (SuperNode viaProxy = SuperNode.builder().setSuperlink("http://127.0.0.1:" + proxy.port())
                            .optInsecure(true).optBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                            .optPollInterval(Duration.ofMillis(200)).setClientApp(dropping.toClientApp()).build()
                            .start();
                    SuperNode direct = SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                            .optPollInterval(Duration.ofMillis(200)).setClientApp(other.toClientApp()).build()
                            .start()) {
                FedAvgInteropTest.runAndCheck(link, work, List.of(dropping, other), 2);
                assertThat(proxy.refusedWhileDown()).as("the node retried during the outage").isPositive();
                assertThat(viaProxy.repliesSent()).isEqualTo(2);
                assertThat(viaProxy.pendingReplies()).isZero();
            }
        } finally {
            timer.shutdownNow();
        }
    }
}
