/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MessageError;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.DeflatedMessage;
import io.github.fedbiot.flower.serde.FlowerObjects;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.serde.ObjectLimits;
import io.github.fedbiot.flower.serde.RecordProtos;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input gives an error reply naming the problem; good input gives the handler's content. */
class InstructionProcessorTest {
    private static final long NODE = 77;
    private final MessageSerde serde = new MessageSerde(64);

    /** Doubles every array; 5 examples. */
    private static final TensorClient DOUBLER = new TensorClient() {
        @Override
        public FitResult fit(NamedTensors parameters, ConfigRecord config) {
            NamedTensors.Builder b = NamedTensors.builder();
            parameters.asMap().forEach((k, t) -> {
                float[] d = t.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= 2;
                }
                b.add(k, new Tensor(t.shape(), d));
            });
            return new FitResult(b.build(), 5, Map.of());
        }
    };

    private static Metadata md(String type) {
        return new Metadata(9, "", 1, NODE, "", "", 600, type, System.currentTimeMillis() / 1000.0);
    }

    private static RecordDict fedAvgContent(Array array) {
        return RecordDict.builder().add("arrays", ArrayRecord.builder().add("0", array).build())
                .add("config", ConfigRecord.builder().put("server-round", 1).build()).build();
    }

    /**
     * Takes an instruction through the processor as the node does: each object checked as it arrives (here in the
     * tree's post order), a refused one answered with the error reply, then inflated and run.
     */
    private static Message process(InstructionProcessor p, io.github.fedbiot.flower.proto.Message pulled,
            io.github.fedbiot.flower.proto.ObjectTree tree, Map<String, byte[]> objects) {
        try {
            List<String> ids = MessageSerde.postOrderIds(tree);
            p.checkTreeSize(ids);
            long total = 0;
            for (String id : ids) {
                byte[] content = objects.get(id);
                if (content != null) {
                    p.checkObject(id, content, total);
                    total += content.length;
                }
            }
        } catch (RecordException e) {
            return p.reject(RecordProtos.fromProto(pulled.getMetadata()).withMessageId(tree.getObjectId()),
                    e.getMessage());
        }
        InstructionProcessor.Inflated in = p.inflate(pulled, tree, objects, Map.of());
        return in.rejection() != null ? in.rejection() : p.run(in.instruction(), NODE, Map.of());
    }

    private Message process(ClientApp app, ObjectLimits limits, DeflatedMessage d, Map<String, byte[]> objects) {
        return process(new InstructionProcessor(app, serde, limits, Map.of()), d.pushProto(), d.tree(), objects);
    }

    private Message process(ClientApp app, DeflatedMessage d) {
        return process(app, ObjectLimits.DEFAULT, d, d.objects());
    }

    @Test
    void trainGivesContentReplyAddressedToTheServerApp() {
        DeflatedMessage d = serde.deflate(Message.ofContent(md("train"),
                fedAvgContent(Array.fromTensor(new Tensor(new int[] {3}, new float[] {1, 2, 3})))));
        Message reply = process(DOUBLER.toClientApp(), d);
        assertThat(reply.hasContent()).isTrue();
        assertThat(reply.content().arrayRecord("arrays").get("0").toTensor().data()).containsExactly(2f, 4f, 6f);
        assertThat(reply.content().metricRecord("metrics").getLong("num-examples")).isEqualTo(5);
        Metadata m = reply.metadata();
        assertThat(m.replyToMessageId()).isEqualTo(d.messageId());
        assertThat(m.srcNodeId()).isEqualTo(NODE);
        assertThat(m.dstNodeId()).isEqualTo(1);
        assertThat(m.messageType()).isEqualTo("train");
        assertThat(m.ttl()).isPositive().isLessThanOrEqualTo(600);
    }

    @Test
    void unknownMessageTypeGivesErrorReply() {
        DeflatedMessage d = serde.deflate(Message.ofContent(md("query.stats"), RecordDict.empty()));
        Message reply = process(DOUBLER.toClientApp(), d);
        assertThat(reply.error().code()).isEqualTo(MessageError.UNKNOWN);
        assertThat(reply.error().reason()).contains("no handler for message type 'query.stats'")
                .contains("train", "evaluate");
        assertThat(reply.metadata().replyToMessageId()).isEqualTo(d.messageId());
    }

    @Test
    void objectWhoseContentDoesNotMatchItsIdIsRejected() {
        DeflatedMessage d = serde.deflate(Message.ofContent(md("train"),
                fedAvgContent(Array.fromTensor(new Tensor(new int[] {3}, new float[] {1, 2, 3})))));
        Map<String, byte[]> objects = new HashMap<>(d.objects());
        String chunkId = d.tree().getChildren(0).getChildren(0).getChildren(0).getChildren(0).getObjectId();
        byte[] tampered = objects.get(chunkId).clone();
        tampered[tampered.length - 1] ^= 1;
        objects.put(chunkId, tampered);
        Message reply = process(DOUBLER.toClientApp(), ObjectLimits.DEFAULT, d, objects);
        assertThat(reply.error().reason()).contains("object " + chunkId).contains("does not match its content");
    }

    @Test
    void oversizeObjectIsRejected() {
        DeflatedMessage d = new MessageSerde(1 << 20).deflate(Message.ofContent(md("train"),
                fedAvgContent(Array.fromTensor(Tensor.zeros(100)))));
        Message reply = process(DOUBLER.toClientApp(), new ObjectLimits(300, 1 << 20, 100), d, d.objects());
        assertThat(reply.error().reason()).contains("over the limit of 300 (maxObjectBytes)");
        Message reply2 = process(DOUBLER.toClientApp(), new ObjectLimits(1 << 20, 600, 100), d, d.objects());
        assertThat(reply2.error().reason()).contains("exceed 600 bytes (maxMessageBytes)");
        Message reply3 = process(DOUBLER.toClientApp(), new ObjectLimits(1 << 20, 1 << 20, 3), d, d.objects());
        assertThat(reply3.error().reason()).contains("over the limit of 3 (maxObjects)");
    }

    @Test
    void arrayOfWrongDtypeForATensorClientIsAnErrorReply() {
        DeflatedMessage d = serde.deflate(Message.ofContent(md("train"),
                fedAvgContent(Array.fromLongs(new long[] {1, 2}, 2))));
        Message reply = process(DOUBLER.toClientApp(), d);
        assertThat(reply.error().code()).isEqualTo(MessageError.CLIENT_APP_RAISED_EXCEPTION);
        assertThat(reply.error().reason()).contains("array '0'").contains("int64");
    }

    @Test
    void clientReturningAnotherShapeIsAnErrorReply() {
        TensorClient bad = new TensorClient() {
            @Override
            public FitResult fit(NamedTensors parameters, ConfigRecord config) {
                return new FitResult(NamedTensors.builder().add("0", Tensor.zeros(2, 2)).build(), 1, Map.of());
            }
        };
        DeflatedMessage d = serde.deflate(Message.ofContent(md("train"), fedAvgContent(Array.fromTensor(Tensor.zeros(4)))));
        Message reply = process(bad.toClientApp(), d);
        assertThat(reply.error().reason()).contains("tensor '0' of shape [2, 2], received [4]");
    }

    @Test
    void malformedMessageBodyIsRejected() {
        byte[] msg = FlowerObjects.build("Message", List.of(), "not protobuf \u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1));
        String id = FlowerObjects.objectId(msg);
        io.github.fedbiot.flower.proto.ObjectTree tree = io.github.fedbiot.flower.proto.ObjectTree.newBuilder()
                .setObjectId(id).build();
        var pulled = io.github.fedbiot.flower.proto.Message.newBuilder().setMetadata(
                io.github.fedbiot.flower.serde.RecordProtos.toProto(md("train").withMessageId(id))).build();
        Message reply = process(new InstructionProcessor(DOUBLER.toClientApp(), serde, ObjectLimits.DEFAULT, Map.of()),
                pulled, tree, Map.of(id, msg));
        assertThat(reply.error().reason()).contains("Message object body is not a flwr.proto.Message");
    }

    @Test
    void handlerExceptionIsAnErrorReplyAndTheNextMessageWorks() {
        ClientApp app = ClientApp.builder()
                .optTrain((m, c) -> {
                    throw new IllegalStateException("out of memory on the GPU");
                })
                .optQuery((m, c) -> RecordDict.builder().add("m", MetricRecord.builder().put("ok", 1).build()).build())
                .build();
        InstructionProcessor p = new InstructionProcessor(app, serde, ObjectLimits.DEFAULT, Map.of());
        DeflatedMessage d1 = serde.deflate(Message.ofContent(md("train"), RecordDict.empty()));
        Message r1 = process(p, d1.pushProto(), d1.tree(), d1.objects());
        assertThat(r1.error().code()).isEqualTo(MessageError.CLIENT_APP_RAISED_EXCEPTION);
        assertThat(r1.error().reason()).isEqualTo("java.lang.IllegalStateException: out of memory on the GPU");
        DeflatedMessage d2 = serde.deflate(Message.ofContent(md("query"), RecordDict.empty()));
        Message r2 = process(p, d2.pushProto(), d2.tree(), d2.objects());
        assertThat(r2.content().metricRecord("m").getLong("ok")).isEqualTo(1);
    }

    @Test
    void aModRefusingTheMessageGivesFlowersModFailedPrecondition() {
        // fedAvgContent has no clipping_norm: the DP wrapper is missing on the server side
        DeflatedMessage d = serde.deflate(Message.ofContent(md("train"),
                fedAvgContent(Array.fromTensor(new Tensor(new int[] {3}, new float[] {1, 2, 3})))));
        Message reply = process(DOUBLER.toClientApp().withMods(
                new io.github.fedbiot.flower.app.mod.FixedClippingMod()), d);
        assertThat(reply.error().code()).isEqualTo(MessageError.MOD_FAILED_PRECONDITION);
        assertThat(reply.error().reason()).startsWith("fixedclipping_mod requires the key 'clipping_norm'");
    }
}
