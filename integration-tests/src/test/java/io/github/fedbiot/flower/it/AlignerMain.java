/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.EmulatorAligner;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The aligner as a plain {@code java -cp ...} process (as {@code fedbiot flower-server} runs it), for the test of
 * the ServerApp's {@code aligner-command} mode. Arguments: configuration file, output directory.
 */
final class AlignerMain {
    private AlignerMain() {}

    public static void main(String[] args) throws Exception {
        FedbiotConfig cfg = FedbiotConfigReader.read(Path.of(args[0]));
        try (BaseModel m = Engines.get("djl").load(Path.of(cfg.model().dir()));
                EmulatorAligner a = EmulatorAligner.builder().setConfig(cfg).setModel(m).optOutputDir(Path.of(args[1]))
                        .setSecurity(AlignerSecurity.plaintext(null))
                        .build().start()) {
            System.out.println("aligner listening on " + a.address());
            System.out.flush();
            if (!a.session().awaitFinish(10, TimeUnit.MINUTES)) {
                System.exit(3);
            }
        }
    }
}
