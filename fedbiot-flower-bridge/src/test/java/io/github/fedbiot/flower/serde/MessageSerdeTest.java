/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MessageError;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.NumpyDType;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the serde against objects that flwr 1.42.0 deflated (python/flower/tools/make_object_fixture.py with
 * FLWR_PRIVATE_MAX_ARRAY_CHUNK_SIZE=64): Java inflates them and deflates the result to byte-identical objects.
 */
class MessageSerdeTest {
    private static JsonNode fixture;
    private static Map<String, byte[]> objects;
    private static ObjectTree tree;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = MessageSerdeTest.class.getResourceAsStream("flwr-message-fixture.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        objects = new HashMap<>();
        fixture.get("objects").fields().forEachRemaining(e -> objects.put(e.getKey(),
                Base64.getDecoder().decode(e.getValue().asText())));
        tree = toTree(fixture.get("tree"));
    }

    static ObjectTree toTree(JsonNode n) {
        ObjectTree.Builder b = ObjectTree.newBuilder().setObjectId(n.get("object_id").asText());
        n.get("children").forEach(c -> b.addChildren(toTree(c)));
        return b.build();
    }

    @Test
    void fixtureObjectIdsAreSha256OfTheirBytes() {
        objects.forEach((id, bytes) -> assertThat(FlowerObjects.objectId(bytes)).isEqualTo(id));
    }

    @Test
    void inflatesWhatFlowerDeflated() {
        Message m = new MessageSerde().inflate(tree, objects, null);
        assertThat(m.metadata().messageId()).isEqualTo(fixture.get("message_id").asText());
        assertThat(m.metadata().runId()).isEqualTo(1234);
        assertThat(m.metadata().dstNodeId()).isEqualTo(99);
        assertThat(m.metadata().messageType()).isEqualTo("train");
        assertThat(m.metadata().groupId()).isEqualTo("3");
        assertThat(m.metadata().createdAt()).isEqualTo(1767225600.25);
        ArrayRecord arrays = m.content().arrayRecord("arrays");
        assertThat(arrays.asMap().keySet()).containsExactly("w", "b64", "i64", "h", "zeros", "scalar");
        assertThat(arrays.get("w").toTensor().data()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
        assertThat(arrays.get("w").shape()).containsExactly(2, 3);
        assertThat(arrays.get("b64").dtype()).isEqualTo(NumpyDType.FLOAT64);
        assertThat(arrays.get("b64").toDoubles()).containsExactly(1.5, -2.25, 3.0, 1e-300);
        assertThat(arrays.get("i64").toLongs()).containsExactly(1L, -2L, 3L, 1L << 40);
        assertThat(arrays.get("h").toTensor().data()).containsExactly(0.5f, -1.0f, 65504.0f);
        assertThat(arrays.get("zeros").toTensor().data()).hasSize(100).containsOnly(0f);
        assertThat(arrays.get("scalar").shape()).isEmpty();
        assertThat(arrays.get("scalar").toTensor().data()).containsExactly(7f);
        MetricRecord metrics = m.content().metricRecord("metrics");
        assertThat(metrics.getLong("num-examples")).isEqualTo(10);
        assertThat(metrics.getDouble("loss")).isEqualTo(0.5);
        assertThat(metrics.get("hist")).isEqualTo(List.of(1.0, 2.0));
        assertThat(metrics.get("counts")).isEqualTo(List.of(1L, 2L, 3L));
        ConfigRecord config = m.content().configRecord("config");
        assertThat(config.getLong("server-round")).isEqualTo(3);
        assertThat(config.getBoolean("flag")).isTrue();
        assertThat(config.getString("name")).isEqualTo("héllo");
        assertThat(config.getBytes("blob")).containsExactly(0, 1);
        assertThat(config.get("names")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void deflatesToTheSameObjectsAsFlower() {
        Message m = new MessageSerde().inflate(tree, objects, null);
        DeflatedMessage d = new MessageSerde(64).deflate(m);
        assertThat(d.messageId()).isEqualTo(fixture.get("message_id").asText());
        assertThat(d.tree()).isEqualTo(tree);
        assertThat(d.objects().keySet()).containsExactlyInAnyOrderElementsOf(objects.keySet());
        d.objects().forEach((id, bytes) -> assertThat(bytes).isEqualTo(objects.get(id)));
        assertThat(d.pushProto().getMetadata().getMessageId()).isEqualTo(d.messageId());
        assertThat(d.pushProto().hasContent()).isTrue();
        assertThat(d.pushProto().getContent().getItemsCount()).isZero();
    }

    @Test
    void assemblesArraysChunkByChunkAsTheSuperNodePullsThem() {
        // 64-byte chunks: the .npy header of each array spans two chunks before the storage can be sized
        Map<String, byte[]> rest = new HashMap<>(objects);
        Map<String, Array> arrays = new HashMap<>();
        assembleArrays(tree, rest, arrays);
        assertThat(arrays).isNotEmpty();
        assertThat(rest.size()).isLessThan(objects.size());
        Message streamed = new MessageSerde().inflate(tree, rest, arrays, null);
        assertThat(streamed).isEqualTo(new MessageSerde().inflate(tree, objects, null));
        // the objects made on demand for pushing are Flower's, and their sizes are known without making them
        DeflatedMessage d = new MessageSerde(64).deflate(streamed);
        assertThat(d.byteSize()).isEqualTo(objects.values().stream().mapToLong(b -> b.length).sum());
    }

    private static void assembleArrays(ObjectTree t, Map<String, byte[]> rest, Map<String, Array> arrays) {
        byte[] content = objects.get(t.getObjectId());
        if (FlowerObjects.parseHead(content).type().equals("Array")) {
            ArrayAssembly a = ArrayAssembly.open(content, "array", Long.MAX_VALUE);
            for (String chunk : a.chunkOrder()) {
                a.accept(chunk, objects.get(chunk));
                rest.remove(chunk);
            }
            arrays.put(t.getObjectId(), a.build());
            return;
        }
        t.getChildrenList().forEach(c -> assembleArrays(c, rest, arrays));
    }

    @Test
    void assemblyRefusesChunksThatDisagreeWithTheArray() {
        Array f32 = Array.fromTensor(new io.github.fedbiot.tensor.Tensor(new int[] {4}, new float[] {1, 2, 3, 4}));
        DeflatedMessage d = new MessageSerde(64).deflate(Message.ofContent(
                new Metadata(1, "", 1, 2, "", "", 10, "train", 1.0),
                RecordDict.builder().add("a", ArrayRecord.builder().add("0", f32).build()).build()));
        String arrayId = d.tree().getChildren(0).getChildren(0).getChildren(0).getObjectId();
        ArrayAssembly a = ArrayAssembly.open(d.objects().get(arrayId), "array x", Long.MAX_VALUE);
        List<String> order = a.chunkOrder();
        assertThat(order).hasSizeGreaterThan(1);
        assertThatThrownBy(a::build).isInstanceOf(RecordException.class).hasMessageContaining("array x")
                .hasMessageContaining("were not received");
        assertThatThrownBy(() -> a.accept(order.get(1), d.objects().get(order.get(1))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.accept(order.get(0), d.objects().get(arrayId)))
                .isInstanceOf(RecordException.class).hasMessageContaining("expected a ArrayChunk object");
    }

    @Test
    void errorMessageMatchesFlower() {
        Metadata md = new Metadata(1234, "", 99, 1, fixture.get("message_id").asText(), "3", 100.0, "train",
                1767225601.5);
        DeflatedMessage d = new MessageSerde().deflate(Message.ofError(md, new MessageError(2, "boom")));
        assertThat(d.messageId()).isEqualTo(fixture.get("error_message_id").asText());
        assertThat(d.objects().get(d.messageId()))
                .isEqualTo(Base64.getDecoder().decode(fixture.get("error_message_object").asText()));
        assertThat(d.pushProto().getError().getReason()).isEqualTo("boom");
    }

    /** The tree as a SuperLink on SQLite returns it: every node's children sorted by id, each once. */
    static ObjectTree sortedChildren(ObjectTree t) {
        java.util.TreeMap<String, ObjectTree> byId = new java.util.TreeMap<>();
        t.getChildrenList().forEach(c -> byId.putIfAbsent(c.getObjectId(), sortedChildren(c)));
        return ObjectTree.newBuilder().setObjectId(t.getObjectId()).addAllChildren(byId.values()).build();
    }

    @Test
    void inflatesATreeWhoseChildrenComeSortedAsFromASqliteSuperLink() {
        ObjectTree sorted = sortedChildren(tree);
        assertThat(sorted).as("the fixture has a node whose children are not in id order").isNotEqualTo(tree);
        assertThat(new MessageSerde().inflate(sorted, objects, null))
                .isEqualTo(new MessageSerde().inflate(tree, objects, null));
    }

    @Test
    void refusesATreeThatListsOtherChildrenThanTheHead() {
        ObjectTree arrays = tree.getChildren(0).getChildren(0);
        ObjectTree withoutOne = tree.toBuilder().setChildren(0, tree.getChildren(0).toBuilder().setChildren(0,
                arrays.toBuilder().removeChildren(0))).build();
        assertThatThrownBy(() -> new MessageSerde().inflate(withoutOne, objects, null))
                .isInstanceOf(RecordException.class).hasMessageContaining("disagrees with the head of object "
                        + arrays.getObjectId());
        ObjectTree withForeign = tree.toBuilder().setChildren(0, tree.getChildren(0).toBuilder().setChildren(0,
                arrays.toBuilder().addChildren(ObjectTree.newBuilder().setObjectId("ab".repeat(32))))).build();
        assertThatThrownBy(() -> new MessageSerde().inflate(withForeign, objects, null))
                .isInstanceOf(RecordException.class).hasMessageContaining("disagrees with the head of object "
                        + arrays.getObjectId());
    }

    @Test
    void postOrderPutsChildrenFirstAndDeduplicates() {
        List<String> ids = MessageSerde.postOrderIds(tree);
        assertThat(ids).doesNotHaveDuplicates().hasSameSizeAs(objects.keySet());
        assertThat(ids.get(ids.size() - 1)).isEqualTo(tree.getObjectId());
    }

    @Test
    void rejectsMissingObject() {
        Map<String, byte[]> partial = new HashMap<>(objects);
        String chunk = tree.getChildren(0).getChildren(0).getChildren(0).getChildren(0).getObjectId();
        partial.remove(chunk);
        assertThatThrownBy(() -> new MessageSerde().inflate(tree, partial, null))
                .isInstanceOf(RecordException.class).hasMessageContaining(chunk).hasMessageContaining("not received");
    }

    @Test
    void rejectsUnknownRecordType() {
        byte[] bogus = FlowerObjects.build("FancyRecord", List.of(), new byte[] {1, 2});
        String bogusId = FlowerObjects.objectId(bogus);
        Message good = Message.ofContent(md(), RecordDict.builder().add("m",
                MetricRecord.builder().put("x", 1).build()).build());
        DeflatedMessage d = new MessageSerde().deflate(good);
        // Rebuild the RecordDict so that its only record is the bogus object.
        byte[] rd = FlowerObjects.build("RecordDict", List.of(bogusId),
                ("{\"m\": \"" + bogusId + "\"}").getBytes(StandardCharsets.UTF_8));
        String rdId = FlowerObjects.objectId(rd);
        byte[] msg = FlowerObjects.build("Message", List.of(rdId), body(d));
        String msgId = FlowerObjects.objectId(msg);
        ObjectTree t = ObjectTree.newBuilder().setObjectId(msgId).addChildren(ObjectTree.newBuilder()
                .setObjectId(rdId).addChildren(ObjectTree.newBuilder().setObjectId(bogusId))).build();
        assertThatThrownBy(() -> new MessageSerde().inflate(t, Map.of(msgId, msg, rdId, rd, bogusId, bogus), null))
                .isInstanceOf(RecordException.class)
                .hasMessageContaining("record 'm'").hasMessageContaining("unknown record type 'FancyRecord'");
    }

    @Test
    void rejectsArrayWhoseNpyDisagreesWithItsDtype() {
        Array f64 = Array.fromDoubles(new double[] {1, 2}, 2);
        byte[] npy = f64.npyBytes();
        byte[] chunk = FlowerObjects.build("ArrayChunk", List.of(), npy);
        String chunkId = FlowerObjects.objectId(chunk);
        byte[] arr = FlowerObjects.build("Array", List.of(chunkId), ("{\"dtype\": \"float32\", \"shape\": [2], "
                + "\"stype\": \"numpy.ndarray\", \"arraychunk_ids\": [0]}").getBytes(StandardCharsets.UTF_8));
        String arrId = FlowerObjects.objectId(arr);
        byte[] ar = FlowerObjects.build("ArrayRecord", List.of(arrId),
                ("{\"0\": \"" + arrId + "\"}").getBytes(StandardCharsets.UTF_8));
        String arId = FlowerObjects.objectId(ar);
        byte[] rd = FlowerObjects.build("RecordDict", List.of(arId),
                ("{\"arrays\": \"" + arId + "\"}").getBytes(StandardCharsets.UTF_8));
        String rdId = FlowerObjects.objectId(rd);
        byte[] msg = FlowerObjects.build("Message", List.of(rdId), body(new MessageSerde().deflate(
                Message.ofContent(md(), RecordDict.empty()))));
        String msgId = FlowerObjects.objectId(msg);
        ObjectTree t = ObjectTree.newBuilder().setObjectId(msgId).addChildren(ObjectTree.newBuilder().setObjectId(rdId)
                .addChildren(ObjectTree.newBuilder().setObjectId(arId).addChildren(ObjectTree.newBuilder()
                        .setObjectId(arrId).addChildren(ObjectTree.newBuilder().setObjectId(chunkId))))).build();
        assertThatThrownBy(() -> new MessageSerde().inflate(t,
                Map.of(msgId, msg, rdId, rd, arId, ar, arrId, arr, chunkId, chunk), null))
                .isInstanceOf(RecordException.class)
                .hasMessageContaining("record 'arrays', array '0'")
                .hasMessageContaining("declares dtype float32 but its .npy data is float64");
    }

    @Test
    void rejectsHeadWithWrongBodyLength() {
        byte[] bad = "ArrayChunk  5\0abc".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> FlowerObjects.parseHead(bad)).isInstanceOf(RecordException.class)
                .hasMessageContaining("says 5 body bytes, found 3");
    }

    private static Metadata md() {
        return new Metadata(7, "", 1, 5, "", "1", 100, "train", 1767225600.0);
    }

    private static byte[] body(DeflatedMessage d) {
        byte[] content = d.objects().get(d.messageId());
        FlowerObjects.Head h = FlowerObjects.parseHead(content);
        return java.util.Arrays.copyOfRange(content, h.bodyOffset(), content.length);
    }
}
