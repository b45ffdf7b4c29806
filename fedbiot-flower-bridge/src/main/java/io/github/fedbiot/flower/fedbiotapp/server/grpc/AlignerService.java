/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp.server.grpc;

import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.InvalidUpdateException;
import io.github.fedbiot.engine.AlignResult;
import io.github.fedbiot.flower.fedbiotapp.server.AlignStep;
import io.github.fedbiot.flower.fedbiotapp.server.AlignedRound;
import io.github.fedbiot.flower.fedbiotapp.server.AlignerSession;
import io.github.fedbiot.flower.fedbiotapp.server.CallOrderException;
import io.github.fedbiot.flower.fedbiotapp.server.FinishedRun;
import io.github.fedbiot.flower.fedbiotapp.server.InitialState;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.AlignReply;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.AlignRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.ConfigValue;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.EmulatorAlignerGrpc;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.FinishReply;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.FinishRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.InitialStateReply;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.InitialStateRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.IntList;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.PreAlignRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.RoundConfigReply;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.RoundConfigRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.StringList;
import com.google.protobuf.MessageLite;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fedbiot.aligner.v1.EmulatorAligner} gRPC methods over an {@link AlignerSession}: decodes each request,
 * calls the session and encodes its answer. A {@link CallOrderException} becomes {@code FAILED_PRECONDITION}, a
 * malformed tensor set or a round with too few accepted updates {@code INVALID_ARGUMENT}, a reply over the
 * reply limit {@code RESOURCE_EXHAUSTED}, anything else {@code INTERNAL}; the description carries the session's
 * message, as the cause does not travel over the wire.
 */
final class AlignerService extends EmulatorAlignerGrpc.EmulatorAlignerImplBase {
    private static final Logger logger = LoggerFactory.getLogger(AlignerService.class);

    private final AlignerSession session;
    private final int maxMessageBytes;
    private final int maxReplyBytes;

    AlignerService(AlignerSession session, int maxMessageBytes, int maxReplyBytes) {
        this.session = session;
        this.maxMessageBytes = maxMessageBytes;
        this.maxReplyBytes = maxReplyBytes;
    }

    /** {@inheritDoc} */
    @Override
    public void getInitialState(InitialStateRequest request, StreamObserver<InitialStateReply> out) {
        call(out, "GetInitialState", () -> {
            InitialState s = session.initialState();
            return InitialStateReply.newBuilder()
                    .setAdapterLora(TensorSets.toProto(s.adapterLora()))
                    .setEmulatorLora(TensorSets.toProto(s.emulatorLora()))
                    .setRounds(s.rounds())
                    .setAlgorithm(s.algorithm())
                    .setMaxMessageBytes(maxMessageBytes)
                    .build();
        });
    }

    /** {@inheritDoc} */
    @Override
    public void preAlign(PreAlignRequest request, StreamObserver<AlignReply> out) {
        call(out, "PreAlign", () -> reply(session.preAlign()));
    }

    /** {@inheritDoc} */
    @Override
    public void align(AlignRequest request, StreamObserver<AlignReply> out) {
        call(out, "Align", () -> {
            List<ClientUpdate> updates = UpdateMessages.fromProto(request.getUpdatesList());
            AlignedRound r = session.align(request.getRound(), updates, request.getMinAccepted());
            return reply(r.alignment()).toBuilder()
                    .setAggregation(UpdateMessages.toProto(r.aggregation())).build();
        });
    }

    /** {@inheritDoc} */
    @Override
    public void getRoundConfig(RoundConfigRequest request, StreamObserver<RoundConfigReply> out) {
        call(out, "GetRoundConfig", () -> {
            RoundConfigReply.Builder b = RoundConfigReply.newBuilder();
            session.roundConfig(request.getRound()).forEach((k, v) -> b.putConfig(k, toValue(k, v)));
            return b.build();
        });
    }

    /** {@inheritDoc} */
    @Override
    public void finish(FinishRequest request, StreamObserver<FinishReply> out) {
        call(out, "Finish", () -> {
            List<ClientUpdate> updates = UpdateMessages.fromProto(request.getUpdatesList());
            FinishedRun r = session.finish(request.getRounds(), updates, request.getMinAccepted());
            return FinishReply.newBuilder().setOutput(r.output().map(Path::toString).orElse(""))
                    .setAggregation(UpdateMessages.toProto(r.aggregation())).build();
        });
    }

    private static AlignReply reply(AlignStep step) {
        AlignReply.Builder b = AlignReply.newBuilder().setEmulatorLora(TensorSets.toProto(step.emulatorLora()));
        AlignResult r = step.result();
        if (r != null) {
            b.setSteps(r.steps()).setMeanNl2(r.meanNl2()).setMeanKl(r.meanKl()).setSkippedBatches(r.skippedBatches());
        }
        return b.build();
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

    private <T extends MessageLite> void call(StreamObserver<T> out, String method, Supplier<T> body) {
        T reply;
        try {
            reply = body.get();
        } catch (CallOrderException e) {
            refuse(out, method, Status.FAILED_PRECONDITION, e.getMessage());
            return;
        } catch (IllegalArgumentException | InvalidUpdateException e) {
            refuse(out, method, Status.INVALID_ARGUMENT, e.getMessage());
            return;
        } catch (RuntimeException e) {
            logger.error("{} failed", method, e);
            out.onError(Status.INTERNAL.withDescription(method + " failed: " + e).asRuntimeException());
            return;
        }
        int size = reply.getSerializedSize();
        if (size > maxReplyBytes) {
            // Every reply carries the adapter and/or emulator LoRA, so GetInitialState, which changes nothing, is
            // the first to hit the limit.
            refuse(out, method, Status.RESOURCE_EXHAUSTED, "the " + method + " reply has " + size + " bytes, over the "
                    + "aligner's reply limit of " + maxReplyBytes + " bytes (--max-reply-mb)");
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }

    private static void refuse(StreamObserver<?> out, String method, Status status, String message) {
        Status s = status.withDescription(message);
        logger.warn("{} refused: {}", method, s);
        out.onError(s.asRuntimeException());
    }
}
