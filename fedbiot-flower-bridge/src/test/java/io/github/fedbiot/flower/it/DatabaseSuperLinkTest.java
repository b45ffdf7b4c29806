/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import io.github.fedbiot.flower.local.FlowerEnv;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SuperLink started as production starts it, with its state in SQLite ({@code --database FILE}): its object
 * store hands out a message's object tree with the children in the order of its child table, not of the object
 * heads, and the Java nodes must still take part.
 */
class DatabaseSuperLinkTest {
    @TempDir
    Path work;

    @Test
    void javaNodesTrainOnASqliteSuperLink() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        FedAvgInteropTest.runFedAvg(bin, work, false, false, 3,
                List.of("--database", work.resolve("state.sqlite").toString()));
    }
}
