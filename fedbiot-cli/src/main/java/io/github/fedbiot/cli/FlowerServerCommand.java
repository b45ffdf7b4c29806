/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.EmulatorAligner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Runs the FedBiOT emulator aligner for a Flower ServerApp ({@code python/flower/fedbiot_app}): loads the full
 * model and the public data of the configuration, serves the aligner's gRPC API and exits after the ServerApp's
 * {@code Finish} call, leaving the final adapter and emulator LoRA in the output directory. The API is served over
 * TLS with a token or client certificates ({@link AlignerSecurityOptions}); plain text only with {@code --insecure}.
 */
@Command(name = "flower-server", mixinStandardHelpOptions = true,
        description = {"Runs the FedBiOT emulator aligner (server side of FedBiOT) for a Flower ServerApp.",
            "Serves one federation run and exits after the ServerApp finished it."})
public final class FlowerServerCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "FedBiOT configuration (YAML or JSON): model.dir, data.public, algorithm, plan, lora, "
                    + "optimizer, client, server, federation.rounds, seed.")
    private Path config;

    @Option(names = "--port", defaultValue = "50051",
            description = "Port of the aligner's gRPC API (0: a free one; default ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default ${DEFAULT-VALUE}).")
    private String host;

    @Mixin
    private AlignerSecurityOptions securityOptions;

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (overrides model.dir).")
    private Path model;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where the final adapter_lora.safetensors and emulator_lora.safetensors go.")
    private Path output;

    @Option(names = "--max-message-mb", defaultValue = "512",
            description = "Largest request accepted, in MiB (default ${DEFAULT-VALUE}).")
    private int maxMessageMb;

    @Option(names = "--max-reply-mb", defaultValue = "512",
            description = "Largest reply sent, in MiB (default ${DEFAULT-VALUE}); the ServerApp's "
                    + "aligner-max-message-mb must be at least this.")
    private int maxReplyMb;

    /** Starts the aligner and waits for the end of the federation. @return the exit code */
    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (maxMessageMb < 1 || maxMessageMb > 2047) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-message-mb: must be 1 to 2047, not "
                    + maxMessageMb);
        }
        if (maxReplyMb < 1 || maxReplyMb > 2047) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-reply-mb: must be 1 to 2047, not "
                    + maxReplyMb);
        }
        AlignerSecurity security;
        try {
            security = securityOptions.resolve();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (FedbiotException e) {
            err.println("flower-server: " + e.getMessage());
            err.flush();
            return 2;
        }
        FedbiotConfig cfg;
        Path modelDir;
        try {
            cfg = FedbiotConfigReader.read(config);
            modelDir = JoinCommand.modelDir(cfg, model);
        } catch (ConfigException e) {
            err.println("flower-server: " + e.getMessage());
            err.flush();
            return 2;
        }
        try (BaseModel m = Engines.getDefault().load(modelDir, cfg.model().load());
                EmulatorAligner aligner = EmulatorAligner.builder().setConfig(cfg).setModel(m).optHost(host)
                        .optPort(port).optOutputDir(output).setSecurity(security)
                        .optMaxMessageBytes(maxMessageMb * 1024 * 1024).optMaxReplyBytes(maxReplyMb * 1024 * 1024)
                        .build()) {
            Thread hook = new Thread(aligner::close, "fedbiot-aligner-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            aligner.start();
            PrintWriter out = spec.commandLine().getOut();
            out.println("fedbiot aligner listening on " + aligner.address());
            out.flush();
            while (!aligner.session().awaitFinish(1, TimeUnit.SECONDS)) {
                // Serve until the ServerApp calls Finish (or the process is stopped).
            }
            out.println("federation finished" + (output == null ? "" : "; final LoRA in " + output));
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down.
            }
            return 0;
        } catch (ConfigException e) {
            err.println("flower-server: " + e.getMessage());
            err.flush();
            return 2;
        } catch (FedbiotException e) {
            err.println("flower-server: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
