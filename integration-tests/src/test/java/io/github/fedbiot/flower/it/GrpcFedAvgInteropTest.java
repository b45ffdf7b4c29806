/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import io.github.fedbiot.flower.local.FlowerEnv;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FedAvg interop test against flwr 1.39.0, whose SuperLink serves the Fleet API over gRPC
 * ({@code --fleet-api-type grpc-rere}); the Java nodes use the gRPC transport.
 */
class GrpcFedAvgInteropTest {
    @TempDir
    Path work;

    @Test
    void fedAvgOverGrpcWithTwoJavaNodes() throws Exception {
        Path bin = FlowerEnv.venvBin("flwr-1.39", "python/flower/requirements-flwr-1.39.txt");
        FedAvgInteropTest.runFedAvg(bin, work, true, false, 2);
    }
}
