/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.flower.transport.FleetException;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Java SuperNode in its own JVM, for tests that kill nodes: {@code NodeMain SUPERLINK KEYFILE K CRASH_ROUND
 * [ACTIVATION_WAIT_S]}. Runs {@link RecordingClient} number K; in round CRASH_ROUND (0 = never) it halts the JVM
 * after pulling the instruction and before replying, as a crash would. SIGTERM closes the node (shutdown hook). If
 * the node is refused, the reason goes to stderr and the JVM exits with 2, as a command-line tool does.
 */
public final class NodeMain {
    private NodeMain() {}

    /**
     * Entry point.
     *
     * @param args SUPERLINK KEYFILE K CRASH_ROUND
     */
    public static void main(String[] args) {
        String superlink = args[0];
        Path keyFile = Path.of(args[1]);
        int k = Integer.parseInt(args[2]);
        long crashRound = Long.parseLong(args[3]);
        Duration activationWait = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 300);
        RecordingClient inner = new RecordingClient(k);
        TensorClient client = new TensorClient() {
            @Override
            public FitResult fit(NamedTensors parameters, ConfigRecord config) {
                if (config.getLong("server-round") == crashRound) {
                    System.out.println("CRASHING in round " + crashRound);
                    System.out.flush();
                    Runtime.getRuntime().halt(137);
                }
                return inner.fit(parameters, config);
            }
        };
        SuperNode node = SuperNode.builder().setSuperlink(superlink).optInsecure(true).optKeyFile(keyFile)
                .optHeartbeatInterval(Duration.ofSeconds(10)).optPollInterval(Duration.ofMillis(200))
                .optShutdownHook(true).optActivationWait(activationWait).setClientApp(client.toClientApp()).build();
        try {
            node.run();
        } catch (FleetException e) {
            System.err.println("node refused: " + e.getMessage());
            System.exit(2);
        }
    }
}
