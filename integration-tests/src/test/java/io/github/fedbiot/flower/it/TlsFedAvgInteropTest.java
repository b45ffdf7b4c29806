/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import io.github.fedbiot.flower.local.FlowerEnv;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FedAvg over HTTPS: the test makes a CA and a server certificate for 127.0.0.1, the flwr 1.42.0 SuperLink serves
 * TLS with it, and the Java nodes trust only that CA ({@code optRootCertificates}).
 */
class TlsFedAvgInteropTest {
    @TempDir
    Path work;

    @Test
    void fedAvgOverHttpsWithTwoJavaNodes() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        FedAvgInteropTest.runFedAvg(bin, work, false, true, 2);
    }
}
