/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MessageError;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.Record;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deflates {@link Message}s into Flower objects and inflates them back, byte-compatible with flwr's
 * {@code Message}, {@code RecordDict}, {@code ArrayRecord}, {@code Array}, {@code ArrayChunk},
 * {@code ConfigRecord} and {@code MetricRecord} objects.
 *
 * <p>Inflation trusts nothing: every referenced object must be present, heads must agree with the tree and the
 * bodies, types must be the expected ones, and arrays must be consistent (see {@link Array#of}). Any violation
 * throws {@link RecordException} naming the record, array or object at fault.
 */
public final class MessageSerde {
    /** Flower's default {@code FLWR_PRIVATE_MAX_ARRAY_CHUNK_SIZE}: 5 MiB. */
    public static final int DEFAULT_CHUNK_SIZE = 5 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int chunkSize;

    /**
     * Creates a serde.
     *
     * @param chunkSize the largest ArrayChunk body this side sends
     */
    public MessageSerde(int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be > 0, got " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /** Creates a serde with Flower's default chunk size. */
    public MessageSerde() {
        this(DEFAULT_CHUNK_SIZE);
    }

    /** A deflated object: its id, its bytes (built when asked for: chunks of large arrays are not kept), its size. */
    private record Node(String id, Supplier<byte[]> content, int size, List<Node> children) {}

    // ------------------------------------------------------------------ deflate

    /**
     * Deflates a message; its metadata's message id is replaced by the computed one.
     *
     * @param message the message
     * @return objects, tree and the proto for {@code PushMessages}
     */
    public DeflatedMessage deflate(Message message) {
        Metadata md = message.metadata().withMessageId("");
        io.github.fedbiot.flower.proto.Message.Builder body = io.github.fedbiot.flower.proto.Message.newBuilder()
                .setMetadata(RecordProtos.toProto(md));
        List<Node> children = new ArrayList<>();
        if (message.hasContent()) {
            children.add(deflateRecordDict(message.content()));
        } else {
            body.setError(RecordProtos.toProto(message.error()));
        }
        Node root = node("Message", children, body.build().toByteArray());
        LinkedHashMap<String, Node> objects = new LinkedHashMap<>();
        postOrder(root, objects);
        io.github.fedbiot.flower.proto.Message.Builder push = io.github.fedbiot.flower.proto.Message.newBuilder()
                .setMetadata(RecordProtos.toProto(md.withMessageId(root.id())));
        if (message.hasContent()) {
            push.setContent(io.github.fedbiot.flower.proto.RecordDict.getDefaultInstance());
        } else {
            push.setError(RecordProtos.toProto(message.error()));
        }
        return new DeflatedMessage(root.id(), tree(root), new ObjectContents(objects.values().stream()
                .map(n -> new ObjectContents.Entry(n.id(), n.content(), n.size())).toList()), push.build());
    }

    private Node deflateRecordDict(RecordDict rd) {
        LinkedHashMap<String, Object> refs = new LinkedHashMap<>();
        List<Node> children = new ArrayList<>();
        for (Map.Entry<String, Record> e : rd.asMap().entrySet()) {
            Node n;
            if (e.getValue() instanceof ArrayRecord ar) {
                n = deflateArrayRecord(ar);
            } else if (e.getValue() instanceof MetricRecord mr) {
                n = node("MetricRecord", List.of(), RecordProtos.toProto(mr).toByteArray());
            } else {
                n = node("ConfigRecord", List.of(), RecordProtos.toProto((ConfigRecord) e.getValue()).toByteArray());
            }
            refs.put(e.getKey(), n.id());
            children.add(n);
        }
        return node("RecordDict", children, PyJson.dumps(refs).getBytes(StandardCharsets.UTF_8));
    }

    private Node deflateArrayRecord(ArrayRecord ar) {
        LinkedHashMap<String, Object> refs = new LinkedHashMap<>();
        List<Node> children = new ArrayList<>();
        for (Map.Entry<String, Array> e : ar.asMap().entrySet()) {
            Node n = deflateArray(e.getValue());
            refs.put(e.getKey(), n.id());
            children.add(n);
        }
        return node("ArrayRecord", children, PyJson.dumps(refs).getBytes(StandardCharsets.UTF_8));
    }

    private Node deflateArray(Array a) {
        ByteBuffer data = a.npyView();
        int size = data.remaining();
        List<Node> chunks = new ArrayList<>();
        for (int start = 0; start < size; start += chunkSize) {
            int len = Math.min(chunkSize, size - start);
            // The chunk's bytes are made when it is pushed, from the array's storage: not kept meanwhile.
            ByteBuffer body = data.slice(start, len);
            String id = FlowerObjects.objectId("ArrayChunk", List.of(), body);
            chunks.add(new Node(id, () -> FlowerObjects.build("ArrayChunk", List.of(), body),
                    FlowerObjects.headLength("ArrayChunk", List.of(), len) + len, List.of()));
        }
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(chunks.stream().map(Node::id).toList()));
        List<Integer> indices = chunks.stream().map(c -> unique.indexOf(c.id())).toList();
        LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
        meta.put("dtype", a.dtype().numpyName());
        meta.put("shape", a.shape());
        meta.put("stype", a.stype());
        meta.put("arraychunk_ids", indices);
        return node("Array", chunks, PyJson.dumps(meta).getBytes(StandardCharsets.UTF_8));
    }

    /** Builds a node whose head lists the unique child ids in first-appearance order. */
    private static Node node(String type, List<Node> children, byte[] body) {
        LinkedHashMap<String, Node> unique = new LinkedHashMap<>();
        children.forEach(c -> unique.putIfAbsent(c.id(), c));
        byte[] content = FlowerObjects.build(type, new ArrayList<>(unique.keySet()), body);
        return new Node(FlowerObjects.objectId(content), () -> content, content.length,
                new ArrayList<>(unique.values()));
    }

    private static void postOrder(Node n, Map<String, Node> out) {
        for (Node c : n.children()) {
            postOrder(c, out);
        }
        out.putIfAbsent(n.id(), n);
    }

    private static ObjectTree tree(Node n) {
        ObjectTree.Builder b = ObjectTree.newBuilder().setObjectId(n.id());
        n.children().forEach(c -> b.addChildren(tree(c)));
        return b.build();
    }

    // ------------------------------------------------------------------ tree helpers

    /**
     * Returns the unique object ids of a tree in post-order (children first), the order in which Flower pushes
     * and pulls objects.
     *
     * @param tree the tree
     * @return the ids
     */
    public static List<String> postOrderIds(ObjectTree tree) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        postOrderIds(tree, out, 0);
        return new ArrayList<>(out);
    }

    private static void postOrderIds(ObjectTree t, Set<String> out, int depth) {
        if (depth > 16) {
            throw new RecordException("object tree deeper than 16 levels");
        }
        for (ObjectTree c : t.getChildrenList()) {
            postOrderIds(c, out, depth + 1);
        }
        if (!FlowerObjects.isValidId(t.getObjectId())) {
            throw new RecordException("malformed object id '" + t.getObjectId() + "' in object tree");
        }
        out.add(t.getObjectId());
    }

    // ------------------------------------------------------------------ inflate

    /**
     * Inflates a message from its objects.
     *
     * @param tree the message's object tree (as sent by the SuperLink)
     * @param objects the objects by id; their ids must already have been verified
     * @param pulledMetadata the metadata of {@code PullMessagesResponse}, used when the Message object's own is
     *     absent; may be null
     * @return the message, with {@code metadata.messageId} = the tree's root id
     * @throws RecordException naming what is malformed
     */
    public Message inflate(ObjectTree tree, Map<String, byte[]> objects,
            io.github.fedbiot.flower.proto.Metadata pulledMetadata) {
        return inflate(tree, objects, Map.of(), pulledMetadata);
    }

    /**
     * Inflates a message from its objects and arrays already assembled from their chunks (see
     * {@link ArrayAssembly}), whose chunk objects may then be absent.
     *
     * @param tree the message's object tree (as sent by the SuperLink)
     * @param objects the objects by id; their ids must already have been verified
     * @param arrays arrays by the id of their Array object (which must be among {@code objects}), assembled from
     *     the chunks the tree gives that Array object
     * @param pulledMetadata the metadata of {@code PullMessagesResponse}, used when the Message object's own is
     *     absent; may be null
     * @return the message, with {@code metadata.messageId} = the tree's root id
     * @throws RecordException naming what is malformed
     */
    public Message inflate(ObjectTree tree, Map<String, byte[]> objects, Map<String, Array> arrays,
            io.github.fedbiot.flower.proto.Metadata pulledMetadata) {
        ObjectInflater in = new ObjectInflater(objects, arrays);
        byte[] content = in.object(tree.getObjectId(), "Message", "message");
        FlowerObjects.Head head = FlowerObjects.parseHead(content);
        checkTree(tree, objects, arrays.keySet(), 0);
        io.github.fedbiot.flower.proto.Message proto;
        try {
            proto = io.github.fedbiot.flower.proto.Message.parseFrom(
                    java.util.Arrays.copyOfRange(content, head.bodyOffset(), content.length));
        } catch (InvalidProtocolBufferException e) {
            throw new RecordException("Message object body is not a flwr.proto.Message: " + e.getMessage(), e);
        }
        io.github.fedbiot.flower.proto.Metadata mdp = proto.hasMetadata() || pulledMetadata == null
                ? proto.getMetadata() : pulledMetadata;
        Metadata md = RecordProtos.fromProto(mdp).withMessageId(tree.getObjectId());
        if (proto.hasError()) {
            if (!head.childIds().isEmpty()) {
                throw new RecordException("Message object carries an error and content");
            }
            return Message.ofError(md, new MessageError(proto.getError().getCode(), proto.getError().getReason()));
        }
        if (head.childIds().size() != 1) {
            throw new RecordException("Message object must have exactly one RecordDict child, has "
                    + head.childIds().size());
        }
        return Message.ofContent(md, in.recordDict(head.childIds().get(0)));
    }

    /**
     * Checks that every tree node's children are its object's head children. They are compared as sets, as
     * Flower's own SuperNode does (it pulls the tree's ids and inflates from the heads): a SuperLink that keeps
     * its objects in SQLite returns the children sorted by id and each repeated child once, so the order and the
     * multiplicity of a node's children come from its hash-checked head, never from the tree.
     */
    private static void checkTree(ObjectTree t, Map<String, byte[]> objects, Set<String> assembled, int depth) {
        if (depth > 16) {
            throw new RecordException("object tree deeper than 16 levels");
        }
        byte[] content = objects.get(t.getObjectId());
        if (content == null) {
            throw new RecordException("object " + t.getObjectId() + " of the tree was not received");
        }
        if (!sameChildren(FlowerObjects.parseHead(content).childIds(), t)) {
            throw new RecordException("object tree disagrees with the head of object " + t.getObjectId()
                    + ": the tree lists other children than the object's head");
        }
        if (assembled.contains(t.getObjectId())) {
            return; // its chunks were checked as they were assembled
        }
        for (ObjectTree c : t.getChildrenList()) {
            checkTree(c, objects, assembled, depth + 1);
        }
    }

    /**
     * Returns whether a tree node lists exactly the children of an object's head, in any order and each at least
     * once.
     *
     * @param headChildren the child ids of the object's head
     * @param node the object's node of the message's tree
     * @return true if they are the same set of ids
     */
    public static boolean sameChildren(List<String> headChildren, ObjectTree node) {
        Set<String> tree = new HashSet<>();
        node.getChildrenList().forEach(c -> tree.add(c.getObjectId()));
        return tree.equals(new HashSet<>(headChildren));
    }

    /** Parses an object's body as a JSON object, naming {@code what} in errors. */
    static JsonNode jsonBody(byte[] content, String what) {
        FlowerObjects.Head h = FlowerObjects.parseHead(content);
        try {
            JsonNode n = JSON.readTree(new String(content, h.bodyOffset(), h.bodyLength(), StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new RecordException(what + ": " + h.type() + " body is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new RecordException(what + ": " + h.type() + " body is not valid JSON: " + e.getMessage(), e);
        }
    }
}
