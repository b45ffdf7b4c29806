/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiot;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.ClientRoundConfig;
import io.github.fedbiot.algorithm.FedAvgAggregator;
import io.github.fedbiot.algorithm.FedBiOTServer;
import io.github.fedbiot.algorithm.Seeds;
import io.github.fedbiot.algorithm.TrainingStrategy;
import io.github.fedbiot.algorithm.UpdateValidator;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.data.BatchCollator;
import io.github.fedbiot.data.ExampleStream;
import io.github.fedbiot.data.InstructionDatasetLoader;
import io.github.fedbiot.data.InstructionEncoder;
import io.github.fedbiot.data.TokenizedExample;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.flower.fedbiot.proto.AlignReply;
import io.github.fedbiot.flower.fedbiot.proto.AlignRequest;
import io.github.fedbiot.flower.fedbiot.proto.ConfigValue;
import io.github.fedbiot.flower.fedbiot.proto.EmulatorAlignerGrpc;
import io.github.fedbiot.flower.fedbiot.proto.FinishReply;
import io.github.fedbiot.flower.fedbiot.proto.FinishRequest;
import io.github.fedbiot.flower.fedbiot.proto.InitialStateReply;
import io.github.fedbiot.flower.fedbiot.proto.InitialStateRequest;
import io.github.fedbiot.flower.fedbiot.proto.IntList;
import io.github.fedbiot.flower.fedbiot.proto.PreAlignRequest;
import io.github.fedbiot.flower.fedbiot.proto.RoundConfigReply;
import io.github.fedbiot.flower.fedbiot.proto.RoundConfigRequest;
import io.github.fedbiot.flower.fedbiot.proto.StringList;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.SafetensorsWriter;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FedBiOT emulator aligner: a gRPC service ({@code fedbiot.aligner.v1.EmulatorAligner},
 * {@code src/main/proto/fedbiot/aligner.proto}) holding the server side of FedBiOT for a Flower ServerApp: the
 * full model, the layer plan, the public data and the emulator LoRA, driven by {@link FedBiOTServer}.
 *
 * <p>The ServerApp calls, in order: {@code GetInitialState} (initial adapter and emulator LoRA), {@code PreAlign}
 * (R0 x E steps, once), then per round {@code GetRoundConfig} before the broadcast and, after FedAvg of the
 * clients' adapter LoRA, {@code Align} (E steps against the aggregated adapter; the result is broadcast in the
 * next round), and {@code Finish} with the final adapter. Seeds and the public-data order are those of the
 * in-process simulation, so a Flower run draws the same batches. Calls out of order get
 * {@code FAILED_PRECONDITION}, malformed tensors {@code INVALID_ARGUMENT}; neither changes the state.
 *
 * <pre>{@code
 * try (EmulatorAligner aligner = EmulatorAligner.builder().setConfig(config).setModel(model).optPort(50051)
 *         .build().start()) {
 *     aligner.awaitFinish();
 * }
 * }</pre>
 */
public final class EmulatorAligner implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(EmulatorAligner.class);

    private final FedbiotConfig config;
    private final FedBiOTServer server;
    private final NamedTensors initialAdapter;
    private final TrainingStrategy strategy;
    private final String host;
    private final int requestedPort;
    private final Path outputDir;
    private final int maxMessageBytes;
    private final Map<Integer, NamedTensors> emulatorForRound = new ConcurrentHashMap<>();
    private final Map<Integer, NamedTensors> aggregatedAdapter = new ConcurrentHashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Server grpcServer;
    private boolean preAligned;
    private int lastAlignedRound = 1;

    private EmulatorAligner(Builder b) {
        this.config = b.config;
        this.host = b.host;
        this.requestedPort = b.port;
        this.outputDir = b.outputDir;
        this.maxMessageBytes = b.maxMessageBytes;
        BaseModel model = b.model;
        this.strategy = TrainingStrategy.of(config, model.spec().numLayers());
        LoraSpec lora = config.lora().forArchitecture(model.spec().architecture());
        InstructionEncoder encoder = new InstructionEncoder(model.tokenizer(), config.data().maxLength());
        BatchCollator collator = new BatchCollator(model.tokenizer().padId());
        ExampleStream<TokenizedExample> publicStream = null;
        if (strategy.preAlignSteps() > 0 || strategy.alignSteps() > 0) {
            ConfigException.require(!config.data().publicData().isEmpty(), "data.public", "(empty)",
                    "must name the public data file: " + config.algorithm() + " aligns the emulator on the server");
            List<TokenizedExample> pub = encoder.encodeAll(InstructionDatasetLoader.load(config.data().publicData(),
                    config.data().publicFormat()));
            ConfigException.require(!pub.isEmpty(), "data.public", config.data().publicData(),
                    "holds no example with response tokens within data.max_length = " + config.data().maxLength());
            publicStream = new ExampleStream<>(pub, Seeds.derive(config.seed(), "public-data"));
        }
        this.server = new FedBiOTServer(model, strategy, config, lora, publicStream, collator, new FedAvgAggregator(),
                new UpdateValidator(Set.of(), Integer.MAX_VALUE));
        this.initialAdapter = server.adapterLora();
        if (strategy.preAlignSteps() == 0) {
            preAligned = true;
            emulatorForRound.put(1, server.emulatorLora());
        }
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving.
     *
     * @return this aligner
     * @throws FedbiotException if the port cannot be bound
     */
    public synchronized EmulatorAligner start() {
        if (grpcServer != null) {
            throw new IllegalStateException("the aligner is already started");
        }
        try {
            grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress(host, requestedPort))
                    .maxInboundMessageSize(maxMessageBytes)
                    .addService(new Service())
                    .build().start();
        } catch (IOException e) {
            throw new FedbiotException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        logger.info("emulator aligner ({}, {} layers, adapter {}, emulator LoRA on {} layers) listening on {}",
                config.algorithm().id(), strategy.plan().compressedStack().size(), strategy.adapterLayers(),
                strategy.emulatorLoraLayers().size(), address());
        return this;
    }

    /** Returns the bound port (useful with port 0). @return the port */
    public int port() {
        Server s = grpcServer;
        if (s == null) {
            throw new IllegalStateException("the aligner is not started");
        }
        return s.getPort();
    }

    /** Returns {@code host:port} as a client dials it. @return the address */
    public String address() {
        return host + ":" + port();
    }

    /**
     * Returns the emulator LoRA that was handed out for a round's broadcast (round 1: after pre-alignment).
     *
     * @param round the round
     * @return the tensors, or null if none was handed out for that round
     */
    public NamedTensors emulatorForRound(int round) {
        return emulatorForRound.get(round);
    }

    /**
     * Returns the aggregated adapter LoRA the ServerApp sent after a round ({@code Align} of round + 1, or
     * {@code Finish} for the last round).
     *
     * @param round the round whose aggregate it is
     * @return the tensors, or null if none was received
     */
    public NamedTensors aggregatedAdapter(int round) {
        return aggregatedAdapter.get(round);
    }

    /**
     * Waits until the ServerApp called {@code Finish}.
     *
     * @param timeout the longest wait
     * @param unit its unit
     * @return whether it did
     * @throws InterruptedException if interrupted
     */
    public boolean awaitFinish(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /** Returns whether {@code Finish} was called. @return true once finished */
    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** Stops serving (in-flight calls get 5 seconds). The model belongs to the caller and stays open. */
    @Override
    public synchronized void close() {
        Server s = grpcServer;
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
                s.shutdownNow();
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ConfigValue toValue(String key, Object v) {
        if (v instanceof Long l) {
            return ConfigValue.newBuilder().setIntValue(l).build();
        } else if (v instanceof Double d) {
            return ConfigValue.newBuilder().setDoubleValue(d).build();
        } else if (v instanceof Boolean b) {
            return ConfigValue.newBuilder().setBoolValue(b).build();
        } else if (v instanceof String s) {
            return ConfigValue.newBuilder().setStringValue(s).build();
        } else if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof Long)) {
            return ConfigValue.newBuilder().setIntList(IntList.newBuilder()
                    .addAllValues(list.stream().map(x -> (Long) x).toList())).build();
        } else if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            return ConfigValue.newBuilder().setStringList(StringList.newBuilder()
                    .addAllValues(list.stream().map(x -> (String) x).toList())).build();
        }
        throw new IllegalStateException("config '" + key + "' has no proto form: " + v);
    }

    private static AlignReply reply(NamedTensors emulator, AlignResult r) {
        AlignReply.Builder b = AlignReply.newBuilder().setEmulatorLora(TensorSets.toProto(emulator));
        if (r != null) {
            b.setSteps(r.steps()).setMeanNl2(r.meanNl2()).setMeanKl(r.meanKl()).setSkippedBatches(r.skippedBatches());
        }
        return b.build();
    }

    private NamedTensors checkedAdapter(io.github.fedbiot.flower.fedbiot.proto.TensorSet set) {
        NamedTensors adapter = TensorSets.fromProto(set, "adapter LoRA");
        server.adapterLora().requireSameLayout(adapter, "adapter LoRA");
        if (!adapter.isFinite()) {
            throw new IllegalArgumentException("adapter LoRA holds NaN or infinite values");
        }
        return adapter;
    }

    /** The gRPC methods; one call at a time, as they share the model and the state. */
    private final class Service extends EmulatorAlignerGrpc.EmulatorAlignerImplBase {

        @Override
        public void getInitialState(InitialStateRequest request, StreamObserver<InitialStateReply> out) {
            call(out, "GetInitialState", () -> InitialStateReply.newBuilder()
                    .setAdapterLora(TensorSets.toProto(server.adapterLora()))
                    .setEmulatorLora(TensorSets.toProto(server.emulatorLora()))
                    .setRounds(config.federation().rounds())
                    .setAlgorithm(config.algorithm().id())
                    .setMaxMessageBytes(maxMessageBytes)
                    .build());
        }

        @Override
        public void preAlign(PreAlignRequest request, StreamObserver<AlignReply> out) {
            call(out, "PreAlign", () -> {
                if (preAligned) {
                    if (strategy.preAlignSteps() == 0) {
                        return reply(server.emulatorLora(), null);
                    }
                    throw Status.FAILED_PRECONDITION.withDescription("pre-alignment already ran (it runs once, "
                            + "before round 1)").asRuntimeException();
                }
                logger.info("pre-aligning the emulator for {} steps", strategy.preAlignSteps());
                AlignResult r = server.preAlign(Seeds.derive(config.seed(), "align", 0));
                preAligned = true;
                emulatorForRound.put(1, server.emulatorLora());
                return reply(server.emulatorLora(), r);
            });
        }

        @Override
        public void align(AlignRequest request, StreamObserver<AlignReply> out) {
            call(out, "Align", () -> {
                int round = request.getRound();
                if (round < 2) {
                    throw Status.INVALID_ARGUMENT.withDescription("Align is for rounds >= 2 (the emulator of round 1 "
                            + "comes from PreAlign); found round " + round).asRuntimeException();
                }
                if (!preAligned) {
                    throw Status.FAILED_PRECONDITION.withDescription("call PreAlign before Align")
                            .asRuntimeException();
                }
                if (round <= lastAlignedRound) {
                    throw Status.FAILED_PRECONDITION.withDescription("the emulator of round " + round
                            + " was already aligned (last aligned round " + lastAlignedRound + ")")
                            .asRuntimeException();
                }
                NamedTensors adapter = checkedAdapter(request.getAdapterLora());
                server.restore(adapter, server.emulatorLora());
                aggregatedAdapter.put(round - 1, adapter);
                AlignResult r = server.align(strategy.alignSteps(), Seeds.derive(config.seed(), "align", round));
                lastAlignedRound = round;
                emulatorForRound.put(round, server.emulatorLora());
                return reply(server.emulatorLora(), r);
            });
        }

        @Override
        public void getRoundConfig(RoundConfigRequest request, StreamObserver<RoundConfigReply> out) {
            call(out, "GetRoundConfig", () -> {
                if (request.getRound() < 1) {
                    throw Status.INVALID_ARGUMENT.withDescription("rounds start at 1; found " + request.getRound())
                            .asRuntimeException();
                }
                ClientRoundConfig c = server.message(request.getRound()).config();
                RoundConfigReply.Builder b = RoundConfigReply.newBuilder();
                FedBiOTRecords.configEntries(c).forEach((k, v) -> b.putConfig(k, toValue(k, v)));
                b.putConfig(FedBiOTRecords.RUN_SEED, toValue(FedBiOTRecords.RUN_SEED, config.seed()));
                return b.build();
            });
        }

        @Override
        public void finish(FinishRequest request, StreamObserver<FinishReply> out) {
            call(out, "Finish", () -> {
                NamedTensors adapter = checkedAdapter(request.getAdapterLora());
                if (adapter.maxAbsDiff(initialAdapter) == 0) {
                    throw Status.FAILED_PRECONDITION.withDescription("the final adapter LoRA is the initial one: no"
                            + " round was aggregated, so no final adapter is written").asRuntimeException();
                }
                server.restore(adapter, server.emulatorLora());
                aggregatedAdapter.put(request.getRounds(), adapter);
                String written = "";
                if (outputDir != null) {
                    try {
                        Files.createDirectories(outputDir);
                    } catch (IOException e) {
                        throw new FedbiotException("cannot create " + outputDir + ": " + e.getMessage(), e);
                    }
                    Map<String, String> meta = new TreeMap<>(Map.of("algorithm", config.algorithm().id(),
                            "rounds", String.valueOf(request.getRounds())));
                    SafetensorsWriter.write(outputDir.resolve("adapter_lora.safetensors"), adapter, meta);
                    SafetensorsWriter.write(outputDir.resolve("emulator_lora.safetensors"), server.emulatorLora(),
                            meta);
                    written = outputDir.toString();
                }
                logger.info("federation finished after {} rounds{}", request.getRounds(),
                        written.isEmpty() ? "" : "; adapter and emulator LoRA written to " + written);
                finished.countDown();
                return FinishReply.newBuilder().setOutput(written).build();
            });
        }

        private <T> void call(StreamObserver<T> out, String method, Supplier<T> body) {
            T reply;
            synchronized (EmulatorAligner.this) {
                try {
                    reply = body.get();
                } catch (StatusRuntimeException e) {
                    logger.warn("{} refused: {}", method, e.getStatus());
                    out.onError(e);
                    return;
                } catch (IllegalArgumentException e) {
                    logger.warn("{} refused: {}", method, e.getMessage());
                    out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                    return;
                } catch (RuntimeException e) {
                    logger.error("{} failed", method, e);
                    out.onError(Status.INTERNAL.withDescription(method + " failed: " + e).asRuntimeException());
                    return;
                }
            }
            out.onNext(reply);
            out.onCompleted();
        }
    }

    /** Assembles an {@link EmulatorAligner}. */
    public static final class Builder {
        private FedbiotConfig config;
        private BaseModel model;
        private String host = "127.0.0.1";
        private int port = 0;
        private Path outputDir;
        private int maxMessageBytes = 512 * 1024 * 1024;

        Builder() {}

        /**
         * Sets the server's configuration (paths already resolved): algorithm, plan, LoRA, optimizer, server and
         * client sections, {@code data.public}, seed and rounds.
         *
         * @param value the configuration
         * @return this builder
         */
        public Builder setConfig(FedbiotConfig value) {
            config = value;
            return this;
        }

        /**
         * Sets the full model (owned by the caller, who closes it after the aligner).
         *
         * @param value the model
         * @return this builder
         */
        public Builder setModel(BaseModel value) {
            model = value;
            return this;
        }

        /**
         * Sets the interface to listen on (default {@code 127.0.0.1}; the service has no authentication, so
         * expose it only where the ServerApp runs).
         *
         * @param value the host name or address
         * @return this builder
         */
        public Builder optHost(String value) {
            host = value;
            return this;
        }

        /**
         * Sets the port (default 0: a free one, see {@link EmulatorAligner#port()}).
         *
         * @param value the port
         * @return this builder
         */
        public Builder optPort(int value) {
            port = value;
            return this;
        }

        /**
         * Sets where {@code Finish} writes {@code adapter_lora.safetensors} and {@code emulator_lora.safetensors}.
         *
         * @param value the directory, or null for none
         * @return this builder
         */
        public Builder optOutputDir(Path value) {
            outputDir = value;
            return this;
        }

        /**
         * Sets the largest request accepted, in bytes (default 512 MiB).
         *
         * @param value the limit
         * @return this builder
         */
        public Builder optMaxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        /**
         * Builds the aligner (loads and encodes the public data; does not listen yet).
         *
         * @return the aligner
         * @throws IllegalArgumentException if a required value is missing or out of range
         * @throws ConfigException if the configuration does not fit the model or names no public data
         */
        public EmulatorAligner build() {
            Objects.requireNonNull(config, "config (setConfig)");
            Objects.requireNonNull(model, "model (setModel)");
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
            }
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("max message bytes must be >= 1024, got " + maxMessageBytes);
            }
            return new EmulatorAligner(this);
        }
    }
}
