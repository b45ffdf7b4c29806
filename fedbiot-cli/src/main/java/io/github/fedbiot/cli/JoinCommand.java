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
import io.github.fedbiot.flower.fedbiotapp.client.FedBiOTClientApp;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.flower.supernode.SuperNodeBuilder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Joins a Flower federation as a FedBiOT client: a Java SuperNode whose client app trains the adapter LoRA on
 * the node's local data ({@code data.train} of the configuration) with the model of {@code model.dir}.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = {"Joins a Flower federation (FedBiOT ServerApp) as a Java SuperNode that trains the adapter "
                + "LoRA on local data.", "Runs until stopped (Ctrl-C deactivates the node)."})
public final class JoinCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--superlink", required = true, paramLabel = "HOST:PORT",
            description = "The SuperLink's Fleet API address (flwr >= 1.40: the SuperLink's port, e.g. "
                    + "127.0.0.1:9093; with --grpc the gRPC Fleet port, e.g. 127.0.0.1:9092).")
    private String superlink;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "FedBiOT configuration (YAML or JSON): model.dir, data.train (this node's data), "
                    + "data.max_length, seed; the training settings come from the server each round.")
    private Path config;

    @Option(names = "--insecure", description = "Connect without TLS (as flower-supernode --insecure).")
    private boolean insecure;

    @Option(names = "--root-certificates", paramLabel = "PEM",
            description = "CA certificates that signed the SuperLink's TLS certificate.")
    private Path rootCertificates;

    @Option(names = "--grpc", description = "Use the gRPC Fleet API of flwr 1.39 and earlier (tested with 1.39.0) instead of HTTP; "
                    + "flwr 1.40 and later (1.42.0 tested) serve Fleet over HTTP only.")
    private boolean grpc;

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (overrides model.dir).")
    private Path model;

    @Option(names = "--partition-id", paramLabel = "N",
            description = "Train on share N of data.train, divided as the simulation divides it (data.partition, "
                    + "data.clients); without it the node trains on the whole file.")
    private Integer partitionId;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The node's identity key (created on first use; keeps the node id across restarts).")
    private Path keyFile;

    @Option(names = "--activation-wait", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to keep retrying activation while the SuperLink still counts this node's key as "
                    + "online, as after a node with the same key file was killed (default: ${DEFAULT-VALUE}).")
    private long activationWaitSeconds;

    /** Loads the model and data, then runs the node until it is stopped. @return the exit code */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (insecure && rootCertificates != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--insecure and --root-certificates exclude each other");
        }
        if (rootCertificates != null && !Files.isRegularFile(rootCertificates)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--root-certificates: no such file: "
                    + rootCertificates);
        }
        FedbiotConfig cfg;
        Path modelDir;
        try {
            cfg = FedbiotConfigReader.read(config);
            modelDir = modelDir(cfg, model);
        } catch (ConfigException e) {
            err.println("join: " + e.getMessage());
            err.flush();
            return 2;
        }
        SuperNodeBuilder node;
        try {
            node = SuperNode.builder().setSuperlink(superlink).optGrpc(grpc).optInsecure(insecure)
                    .optShutdownHook(true).optActivationWait(Duration.ofSeconds(activationWaitSeconds));
            if (rootCertificates != null) {
                node.optRootCertificates(rootCertificates);
            }
            if (keyFile != null) {
                node.optKeyFile(keyFile);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--superlink: " + e.getMessage());
        }
        try (BaseModel m = Engines.getDefault().load(modelDir, cfg.model().load())) {
            FedBiOTClientApp app = FedBiOTClientApp.fromConfig(cfg, m, partitionId);
            try (SuperNode n = node.setClientApp(app.clientApp()).build()) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("fedbiot node " + app.clientId() + " joining " + superlink);
                out.flush();
                // The loop runs on its own thread: the node's shutdown hook (Ctrl-C, SIGTERM) waits for the loop
                // thread, and main must not be that thread, because main ends in System.exit, which waits for
                // the hooks.
                AtomicReference<RuntimeException> failure = new AtomicReference<>();
                Thread loop = new Thread(() -> {
                    try {
                        n.run();
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                }, "fedbiot-node");
                loop.start();
                loop.join();
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("join: " + e.getMessage());
            err.flush();
            return 2;
        } catch (FedbiotException e) {
            err.println("join: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * Returns the model directory: the override, else {@code model.dir}.
     *
     * @param cfg the configuration (paths resolved)
     * @param override the command-line directory, or null
     * @return the directory
     * @throws ConfigException if neither names an existing directory
     */
    static Path modelDir(FedbiotConfig cfg, Path override) {
        Path dir = override != null ? override : cfg.model().dir().isEmpty() ? null : Path.of(cfg.model().dir());
        ConfigException.require(dir != null, "model.dir", "(empty)", "must name the model directory (or use --model)");
        ConfigException.require(Files.isDirectory(dir), "model.dir", dir, "is not a directory");
        return dir;
    }
}
