/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.github.fedbiot.ConfigException;
import io.github.fedbiot.algorithm.ClientRoundConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.flower.fedbiotapp.FedBiOTRecords;
import io.github.fedbiot.flower.fedbiotapp.server.AlignerFixtures;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.AlignRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.EmulatorAlignerGrpc;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.FinishRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.InitialStateReply;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.InitialStateRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.NodeUpdate;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.PreAlignRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.RoundConfigReply;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.RoundConfigRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.TensorSet;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.tensor.NamedTensors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator aligner over real gRPC with the DJL engine on a tiny random LLaMA: call order, bad tensors and
 * the message size limit are refused with a status naming the problem and leave the state unchanged; the round
 * config survives the trip through the proto and a Flower ConfigRecord.
 */
class EmulatorAlignerTest {
    @TempDir
    Path work;

    private DjlBaseModel model;
    private EmulatorAligner aligner;
    private ManagedChannel channel;
    private EmulatorAlignerGrpc.EmulatorAlignerBlockingStub stub;
    private FedbiotConfig config;

    @BeforeEach
    void setUp() throws Exception {
        model = AlignerFixtures.tinyModel();
        config = AlignerFixtures.config(work, "public: public.jsonl");
        aligner = EmulatorAligner.builder().setConfig(config).setModel(model).optMaxMessageBytes(64 * 1024)
                .setSecurity(AlignerSecurity.plaintext(null))
                .optOutputDir(work.resolve("out")).build().start();
        channel = ManagedChannelBuilder.forTarget(aligner.address()).usePlaintext().build();
        stub = EmulatorAlignerGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (aligner != null) {
            aligner.close();
        }
        if (model != null) {
            model.close();
        }
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call was not refused");
    }

    private static String description(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getDescription();
        }
        throw new AssertionError("the call was not refused");
    }

    /** One node's update carrying {@code adapter}, as the ServerApp sends a round with a single reply. */
    private static NodeUpdate update(TensorSet adapter) {
        return NodeUpdate.newBuilder().setNodeId("1").setNumExamples(1).setAdapterLora(adapter).build();
    }

    private static AlignRequest alignRequest(TensorSet adapter) {
        return AlignRequest.newBuilder().setRound(2).addUpdates(update(adapter)).setMinAccepted(1).build();
    }

    @Test
    void initialStateMatchesAFreshServerAndCallOrderIsEnforced() {
        InitialStateReply init = stub.getInitialState(InitialStateRequest.getDefaultInstance());
        NamedTensors adapter = TensorSets.fromProto(init.getAdapterLora(), "adapter");
        NamedTensors emulator = TensorSets.fromProto(init.getEmulatorLora(), "emulator");
        assertThat(init.getRounds()).isEqualTo(3);
        assertThat(init.getAlgorithm()).isEqualTo("fedbiot");
        assertThat(adapter.names()).allMatch(n -> n.contains("layers.3."));
        assertThat(emulator.isEmpty()).isFalse();

        AlignRequest align = alignRequest(init.getAdapterLora());
        assertThat(description(() -> stub.align(align))).contains("PreAlign");
        assertThat(code(() -> stub.align(align))).isEqualTo(Status.Code.FAILED_PRECONDITION);

        NamedTensors pre = TensorSets.fromProto(stub.preAlign(PreAlignRequest.getDefaultInstance()).getEmulatorLora(),
                "pre-aligned");
        assertThat(pre.maxAbsDiff(emulator)).as("pre-alignment trained the emulator LoRA").isGreaterThan(0);
        assertThat(aligner.session().emulatorForRound(1)).isEqualTo(pre);
        assertThat(code(() -> stub.preAlign(PreAlignRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);

        assertThat(code(() -> stub.align(align.toBuilder().setRound(1).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        NamedTensors round2 = TensorSets.fromProto(stub.align(align).getEmulatorLora(), "aligned");
        assertThat(round2.maxAbsDiff(pre)).isGreaterThan(0);
        assertThat(description(() -> stub.align(align))).contains("already aligned");
        assertThat(aligner.session().emulatorForRound(2)).isEqualTo(round2);
        assertThat(aligner.session().aggregatedAdapter(1)).isEqualTo(adapter);

        assertThat(aligner.session().isFinished()).isFalse();
        assertThat(description(() -> stub.finish(FinishRequest.newBuilder().setRounds(3)
                .addUpdates(update(init.getAdapterLora())).setMinAccepted(1).build()))).as("an adapter no round changed")
                .contains("no round was aggregated");
        assertThat(aligner.session().isFinished()).isFalse();
        NamedTensors trained = NamedTensors.weightedSum(java.util.List.of(adapter), new double[] {2.0});
        String out = stub.finish(FinishRequest.newBuilder().setRounds(3).addUpdates(update(TensorSets.toProto(trained)))
                .setMinAccepted(1).build()).getOutput();
        assertThat(aligner.session().isFinished()).isTrue();
        assertThat(Path.of(out).resolve("adapter_lora.safetensors")).isRegularFile();
        assertThat(Path.of(out).resolve("emulator_lora.safetensors")).isRegularFile();
    }

    @Test
    void malformedAdaptersAreRefusedAndChangeNothing() {
        InitialStateReply init = stub.getInitialState(InitialStateRequest.getDefaultInstance());
        stub.preAlign(PreAlignRequest.getDefaultInstance());
        NamedTensors before = aligner.session().emulatorForRound(1);
        TensorSet good = init.getAdapterLora();
        var first = good.getTensors(0);

        TensorSet wrongShape = good.toBuilder().setTensors(0, first.toBuilder().setShape(0, first.getShape(0) + 1)
                .setData(ByteString.copyFrom(new byte[(int) ((first.getShape(0) + 1) * first.getShape(1) * 4)])))
                .build();
        TensorSet shortData = good.toBuilder().setTensors(0, first.toBuilder()
                .setData(first.getData().substring(4))).build();
        byte[] nan = first.getData().toByteArray();
        nan[3] = (byte) 0x7f;
        nan[2] = (byte) 0xc0;
        TensorSet withNan = good.toBuilder().setTensors(0, first.toBuilder().setData(ByteString.copyFrom(nan)))
                .build();
        TensorSet missing = good.toBuilder().removeTensors(0).build();
        TensorSet unknown = good.toBuilder().addTensors(first.toBuilder().setName("not.a.lora.weight")).build();

        Map<String, TensorSet> bad = new LinkedHashMap<>();
        bad.put("shape", wrongShape);
        bad.put("bytes", shortData);
        bad.put("NaN", withNan);
        bad.put(first.getName(), missing);
        bad.put("not.a.lora.weight", unknown);
        bad.forEach((expected, set) -> {
            AlignRequest req = alignRequest(set);
            assertThat(code(() -> stub.align(req))).as(expected).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(description(() -> stub.align(req))).as(expected).contains(expected);
        });
        assertThat(aligner.session().emulatorForRound(2)).isNull();
        assertThat(aligner.session().aggregatedAdapter(1)).isNull();

        // Over the 64 KiB limit: refused by gRPC before the service sees it.
        TensorSet huge = good.toBuilder().addTensors(first.toBuilder().setName("huge").clearShape().addShape(20000)
                .setData(ByteString.copyFrom(new byte[80000]))).build();
        assertThat(code(() -> stub.align(alignRequest(huge))))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        // The state is intact: a good request still works and starts from the pre-aligned emulator.
        stub.align(alignRequest(good));
        assertThat(aligner.session().emulatorForRound(1)).isEqualTo(before);
        assertThat(aligner.session().emulatorForRound(2)).isNotNull();
    }

    @Test
    void roundConfigSurvivesProtoAndConfigRecord() {
        RoundConfigReply reply = stub.getRoundConfig(RoundConfigRequest.newBuilder().setRound(2).build());
        ConfigRecord.Builder b = ConfigRecord.builder();
        reply.getConfigMap().forEach((k, v) -> b.put(k, switch (v.getKindCase()) {
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            case STRING_VALUE -> v.getStringValue();
            case INT_LIST -> v.getIntList().getValuesList();
            case STRING_LIST -> v.getStringList().getValuesList();
            case KIND_NOT_SET -> throw new AssertionError(k);
        }));
        ClientRoundConfig got = FedBiOTRecords.clientRoundConfig(b.build());
        assertThat(got.stack()).containsExactly(0, 2, 3);
        assertThat(got.lora().rank()).isEqualTo(2);
        assertThat(got.localSteps()).isEqualTo(config.client().localSteps());
        assertThat(got.optimizer()).isEqualTo(config.optimizer());
        assertThat(code(() -> stub.getRoundConfig(RoundConfigRequest.newBuilder().setRound(0).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aligningWithoutPublicDataIsAConfigError() throws Exception {
        FedbiotConfig noPublic = AlignerFixtures.config(work, "train: public.jsonl");
        assertThatThrownBy(() -> EmulatorAligner.builder().setConfig(noPublic).setModel(model)
                .setSecurity(AlignerSecurity.plaintext(null)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("data.public");
    }
}
