/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import java.nio.file.Path;
import java.util.Map;

/**
 * The quick-start code of docs/flower.md, compiled by the build so the documentation cannot drift from the API:
 * {@code QuickstartExample http://127.0.0.1:9093} joins the SuperLink and returns the arrays unchanged.
 */
public final class QuickstartExample {
    private QuickstartExample() {}

    /**
     * Entry point.
     *
     * @param args the SuperLink's Fleet address
     */
    public static void main(String[] args) {
        TensorClient client = new TensorClient() {
            @Override
            public FitResult fit(NamedTensors params, ConfigRecord config) {
                NamedTensors updated = params;                     // train on local data here
                return new FitResult(updated, 500, Map.of("train-loss", 0.3));
            }
        };
        try (SuperNode node = SuperNode.builder()
                .setSuperlink(args.length > 0 ? args[0] : "http://127.0.0.1:9093")
                .optInsecure(true)
                .optKeyFile(Path.of("node.key"))
                .optShutdownHook(true)
                .setClientApp(client.toClientApp())
                .build()) {
            node.run();
        }
    }
}
