/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node answers after its run has finished (the round timed out without it and the ServerApp ended). flwr 1.42
 * refuses that reply (FLEET_RUN_STATUS_NOT_ALLOWED); flwr 1.43 answers HTTP 200 and stores nothing. Either way the
 * node must not count or log the reply as sent.
 */
class LateReplyTest {
    @TempDir
    Path work;

    @Test
    void aReplyToAFinishedRunIsNotCountedAsSent() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        RecordingClient fast = new RecordingClient(0);
        RecordingClient inner = new RecordingClient(1);
        CountDownLatch finished = new CountDownLatch(1);
        TensorClient slow = new TensorClient() {
            @Override
            public FitResult fit(NamedTensors parameters, ConfigRecord config) {
                try {
                    finished.await(2, TimeUnit.MINUTES); // reply only once the run is over
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return inner.fit(parameters, config);
            }
        };
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false);
                SuperNode a = SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                        .optPollInterval(Duration.ofMillis(200)).setClientApp(fast.toClientApp()).build().start();
                SuperNode b = SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                        .optPollInterval(Duration.ofMillis(200)).setClientApp(slow.toClientApp()).build().start()) {
            Path result = work.resolve("result.json");
            link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/fedavg_app").toString(),
                    link.writeCliConfig(), "--run-config", "result-file=\"" + result + "\" num-server-rounds=1 "
                            + "round-timeout=5");
            FedAvgInteropTest.awaitFile(result, Duration.ofMinutes(3), link);
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!link.flwr(Duration.ofSeconds(60), "ls", "local", "--format", "json").contains("finished:")) {
                assertThat(System.nanoTime()).as("run finished").isLessThan(end);
                Thread.sleep(500);
            }
            finished.countDown();
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (inner.sent.isEmpty() || b.pendingReplies() > 0) {
                assertThat(System.nanoTime()).as("the slow node tried to reply").isLessThan(end);
                Thread.sleep(200);
            }
            Thread.sleep(1000);
            assertThat(a.repliesSent()).as("the fast node's reply").isEqualTo(1);
            assertThat(b.repliesSent()).as("the late reply is not counted as sent").isZero();
        }
    }
}
