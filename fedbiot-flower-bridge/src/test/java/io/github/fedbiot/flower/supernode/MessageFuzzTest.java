/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.Npy;
import io.github.fedbiot.flower.record.NumpyDType;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.DeflatedMessage;
import io.github.fedbiot.flower.serde.FlowerObjects;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.serde.ObjectLimits;
import io.github.fedbiot.fuzz.ParserFuzz;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes what a node does with a pulled instruction: its Flower object tree and objects go through
 * {@link MessagePuller} (each object checked against its id and the {@link ObjectLimits}, array chunks streamed into
 * {@code ArrayAssembly}) and {@link InstructionProcessor#inflate}, and, without the id checks, straight through
 * {@link MessageSerde#inflate} ({@code ObjectInflater}). Inputs are valid messages with one thing broken: an object
 * whose content does not match its id, a missing object, a tree with a missing, repeated, extra or malformed child,
 * a tree that references itself or nests too deep, and (re-hashed, so the ids are right) heads with a wrong type,
 * body length or children, record bodies with empty or non-string keys, Array bodies with wrong dtype, shape, stype
 * or chunk indices, chunks whose {@code .npy} header declares gigabytes, and protobuf bodies of random bytes. Every
 * input is inflated or refused with a {@link RecordException} that says what is wrong, within the time and
 * allocation budget of {@link ParserFuzz}.
 */
class MessageFuzzTest {
    private static final ClientApp APP = ClientApp.builder().optTrain((m, c) -> RecordDict.empty()).build();

    /** The ways a valid message is broken. */
    enum Mutation {
        NONE, BAD_HASH, MISSING_OBJECT, TREE_DROP_CHILD, TREE_REPEAT_CHILD, TREE_EXTRA_CHILD, TREE_SELF_REFERENCE,
        TREE_DEEP, TREE_BAD_ID, HEAD_TYPE, HEAD_BODY_LENGTH, HEAD_REPEAT_CHILD, HEAD_DROP_CHILD, HEAD_EXTRA_CHILD,
        HEAD_GARBAGE, REFS_BODY, ARRAY_META, CHUNK_NPY, CHUNK_TRUNCATE, PROTO_BODY
    }

    /** One array of the generated message. */
    record ArraySpec(NumpyDType dtype, int[] shape, boolean zeros) {}

    /** A generated input: the message's arrays, its chunk size, the mutation and its parameters. */
    record Case(List<ArraySpec> arrays, int chunkSize, boolean metrics, Mutation mutation, int which, long seed) {
        @Override
        public String toString() {
            return "Case[" + arrays.stream().map(a -> a.dtype() + Arrays.toString(a.shape()) + (a.zeros() ? "0" : ""))
                    .toList() + ", chunk " + chunkSize + ", metrics " + metrics + ", " + mutation + ", which " + which
                    + ", seed " + seed + "]";
        }
    }

    @Property
    void nodeInflatesOrRefusesEveryMutatedMessage(@ForAll("cases") Case c) {
        DeflatedMessage d = mutate(c);
        long size = d.objects().values().stream().mapToLong(b -> b.length).sum();
        ParserFuzz.Outcome viaNode = ParserFuzz.check(c::toString, size, () -> receive(d), RecordException.class);
        ParserFuzz.Outcome viaSerde = ParserFuzz.check(c::toString, size,
                () -> new MessageSerde().inflate(d.tree(), d.objects(), d.pushProto().getMetadata()),
                RecordException.class);
        if (c.mutation() == Mutation.NONE) {
            assertThat(viaNode).as("valid message %s", c).isEqualTo(ParserFuzz.Outcome.ACCEPTED);
            assertThat(viaSerde).as("valid message %s", c).isEqualTo(ParserFuzz.Outcome.ACCEPTED);
        }
    }

    @Example
    void aChunkDeclaringGigabytesIsRefusedBeforeItsStorageIsAllocated() {
        // One 128-byte chunk whose .npy header (and the Array object) declare 2 * 10^9 int8 values.
        int[] shape = {2_000_000_000};
        byte[] npy = Arrays.copyOf(Npy.write(NumpyDType.INT8, new int[] {0}, new byte[0]), 128);
        byte[] header = "{'descr': '|i1', 'fortran_order': False, 'shape': (2000000000,), }".getBytes(
                StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, npy, 10, header.length);
        Arrays.fill(npy, 10 + header.length, 127, (byte) ' ');
        npy[127] = '\n';
        npy[8] = (byte) (128 - 10);
        DeflatedMessage d = message(Map.of("w", shape), npy);
        long size = d.objects().values().stream().mapToLong(b -> b.length).sum();
        assertThat(ParserFuzz.check(() -> "2 GB chunk", size, () -> receive(d), RecordException.class))
                .isEqualTo(ParserFuzz.Outcome.REFUSED);
        assertThat(ParserFuzz.check(() -> "2 GB chunk", size,
                () -> new MessageSerde().inflate(d.tree(), d.objects(), null), RecordException.class))
                .isEqualTo(ParserFuzz.Outcome.REFUSED);
    }

    /** Pulls and inflates as the node does; a refusal is a RecordException, as the node turns it into a reply. */
    private static void receive(DeflatedMessage d) {
        NodeRef self = new NodeRef();
        InMemoryFleetTransport transport = new InMemoryFleetTransport(7, "[project]\nname = \"x\"\n");
        transport.offer(d);
        InstructionProcessor processor = new InstructionProcessor(APP, new MessageSerde(), ObjectLimits.DEFAULT,
                Map.of());
        MessagePuller puller = new MessagePuller(new io.github.fedbiot.flower.transport.FleetConnection(transport),
                processor, new Retrier(Duration.ofMillis(1), Duration.ofMillis(2), new AtomicBoolean(true), self),
                self);
        MessagePuller.Pulled pulled = puller.pull(1, d.tree(), Retrier.now() + 60);
        if (pulled == null) {
            throw new RecordException("an object of the message is gone"); // the node drops such a message
        }
        InstructionProcessor.Inflated in = processor.inflate(d.pushProto(), d.tree(), pulled.objects(),
                pulled.arrays());
        if (in.rejection() != null) {
            throw new RecordException(in.rejection().error().reason());
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ArraySpec> array = Combinators.combine(Arbitraries.of(NumpyDType.class),
                Arbitraries.integers().between(0, 5).array(int[].class).ofMaxSize(3), Arbitraries.of(true, false))
                .as(ArraySpec::new);
        return Combinators.combine(array.list().ofMinSize(1).ofMaxSize(3), Arbitraries.integers().between(8, 96),
                Arbitraries.of(true, false), Arbitraries.of(Mutation.class), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.longs()).as(Case::new);
    }

    private static Metadata metadata() {
        return new Metadata(1, "", 1, 7, "", "", 600, "train", 1.0);
    }

    /** A message of one ArrayRecord whose arrays have the given shapes and all the given .npy bytes. */
    private static DeflatedMessage message(Map<String, int[]> shapes, byte[] npy) {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        Node chunk = new Node("ArrayChunk", List.of(), npy);
        Node rec = new Node("ArrayRecord", new ArrayList<>(), null);
        StringBuilder refs = new StringBuilder("{");
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            Node arr = new Node("Array", List.of(chunk), ("{\"dtype\": \"int8\", \"shape\": "
                    + Arrays.toString(e.getValue()) + ", \"stype\": \"numpy.ndarray\", \"arraychunk_ids\": [0]}")
                    .getBytes(StandardCharsets.UTF_8));
            rec.children.add(arr);
            refs.append(refs.length() > 1 ? ", " : "").append('"').append(e.getKey()).append("\": \"")
                    .append(arr.id(objects)).append('"');
        }
        rec.body = refs.append('}').toString().getBytes(StandardCharsets.UTF_8);
        Node dict = new Node("RecordDict", List.of(rec), ("{\"arrays\": \"" + rec.id(objects) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        DeflatedMessage template = new MessageSerde().deflate(Message.ofContent(metadata(), RecordDict.empty()));
        Node msg = Node.parse(template.messageId(), template.objects(), new HashMap<>());
        msg.children = List.of(dict);
        String root = msg.id(objects);
        return new DeflatedMessage(root, msg.tree(objects), objects, template.pushProto());
    }

    // ------------------------------------------------------------------ the message as a tree of nodes

    /**
     * One object, editable: type, children in head order, body. Its bytes and id are made from the children's ids,
     * so that an edit deep in the tree re-hashes every object above it; record bodies name their children by id,
     * and those names are rewritten to the new ids.
     */
    static final class Node {
        String type;
        List<Node> children;
        byte[] body;
        String originalId;
        /** Stands for the comma-separated child ids in a {@link #headOverride}. */
        static final String CHILDREN = "<children>";

        String headOverride; // a head written as is (with CHILDREN replaced), or null
        private String id;

        Node(String type, List<Node> children, byte[] body) {
            this.type = type;
            this.children = children;
            this.body = body;
        }

        static Node parse(String id, Map<String, byte[]> objects, Map<String, Node> seen) {
            Node known = seen.get(id);
            if (known != null) {
                return known;
            }
            byte[] content = objects.get(id);
            FlowerObjects.Head h = FlowerObjects.parseHead(content);
            List<Node> children = new ArrayList<>();
            h.childIds().forEach(c -> children.add(parse(c, objects, seen)));
            Node n = new Node(h.type(), children, Arrays.copyOfRange(content, h.bodyOffset(), content.length));
            n.originalId = id;
            seen.put(id, n);
            return n;
        }

        /** Makes this object's bytes (children first) into {@code out} and returns its id. */
        String id(Map<String, byte[]> out) {
            if (id != null) {
                return id;
            }
            List<String> ids = new ArrayList<>();
            byte[] b = body;
            for (Node c : children) {
                String cid = c.id(out);
                ids.add(cid);
                if (c.originalId != null && (type.equals("RecordDict") || type.equals("ArrayRecord"))) {
                    b = new String(b, StandardCharsets.UTF_8).replace(c.originalId, cid)
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
            String head = (headOverride != null ? headOverride : type + " " + CHILDREN + " " + b.length)
                    .replace(CHILDREN, String.join(",", ids));
            byte[] h = head.getBytes(StandardCharsets.UTF_8);
            byte[] content = Arrays.copyOf(h, h.length + 1 + b.length);
            System.arraycopy(b, 0, content, h.length + 1, b.length);
            id = FlowerObjects.objectId(content);
            out.put(id, content);
            return id;
        }

        /** The tree as Flower sends it: each node's unique children. */
        ObjectTree tree(Map<String, byte[]> out) {
            ObjectTree.Builder t = ObjectTree.newBuilder().setObjectId(id(out));
            new LinkedHashSet<>(children).forEach(c -> t.addChildren(c.tree(out)));
            return t.build();
        }

        void collect(List<Node> all) {
            if (!all.contains(this)) {
                all.add(this);
                children.forEach(c -> c.collect(all));
            }
        }
    }

    // ------------------------------------------------------------------ building and mutating messages

    private static DeflatedMessage mutate(Case c) {
        Random rnd = new Random(c.seed());
        RecordDict.Builder content = RecordDict.builder();
        ArrayRecord.Builder arrays = ArrayRecord.builder();
        for (int i = 0; i < c.arrays().size(); i++) {
            ArraySpec a = c.arrays().get(i);
            byte[] data = new byte[(int) (Arrays.stream(a.shape()).asLongStream().reduce(1, (x, y) -> x * y)
                    * a.dtype().itemSize())];
            if (!a.zeros()) {
                rnd.nextBytes(data);
            }
            arrays.add(Integer.toString(i), Array.ofRaw(a.dtype(), a.shape(), data));
        }
        content.add("arrays", arrays.build());
        content.add("config", ConfigRecord.builder().put("server-round", 1).put("lr", 0.5).put("name", "x").build());
        if (c.metrics()) {
            content.add("metrics", MetricRecord.builder().put("loss", 1.5).put("n", 3).build());
        }
        DeflatedMessage valid = new MessageSerde(c.chunkSize()).deflate(Message.ofContent(metadata(), content.build()));
        if (c.mutation() == Mutation.NONE) {
            return valid;
        }
        Map<String, byte[]> objects = new HashMap<>();
        valid.objects().forEach(objects::put);
        if (c.mutation().ordinal() <= Mutation.TREE_BAD_ID.ordinal()) {
            return rawMutation(c, valid, objects, rnd);
        }
        Node root = Node.parse(valid.messageId(), objects, new HashMap<>());
        List<Node> all = new ArrayList<>();
        root.collect(all);
        structuralMutation(c, root, all, rnd);
        Map<String, byte[]> out = new HashMap<>();
        ObjectTree tree = root.tree(out);
        return new DeflatedMessage(tree.getObjectId(), tree, out, valid.pushProto());
    }

    /** Breaks ids or the tree, leaving the objects as they are. */
    private static DeflatedMessage rawMutation(Case c, DeflatedMessage valid, Map<String, byte[]> objects, Random rnd) {
        List<String> ids = new ArrayList<>(objects.keySet());
        ids.sort(null);
        String victim = ids.get(c.which() % ids.size());
        ObjectTree tree = valid.tree();
        switch (c.mutation()) {
            case BAD_HASH -> {
                byte[] b = objects.get(victim).clone();
                b[c.which() % b.length] ^= (byte) (1 + rnd.nextInt(255));
                objects.put(victim, b);
            }
            case MISSING_OBJECT -> objects.remove(victim);
            case TREE_DROP_CHILD, TREE_REPEAT_CHILD, TREE_EXTRA_CHILD, TREE_SELF_REFERENCE, TREE_BAD_ID ->
                tree = editTree(tree, victim, c.mutation(), tree.getObjectId(), rnd);
            case TREE_DEEP -> {
                ObjectTree t = ObjectTree.newBuilder().setObjectId(victim).build();
                for (int i = 0; i < 17 + c.which() % 30; i++) {
                    t = ObjectTree.newBuilder().setObjectId(victim).addChildren(t).build();
                }
                tree = tree.toBuilder().addChildren(t).build();
            }
            default -> throw new IllegalStateException(c.mutation().toString());
        }
        return new DeflatedMessage(tree.getObjectId(), tree, objects, valid.pushProto());
    }

    private static ObjectTree editTree(ObjectTree t, String victim, Mutation m, String root, Random rnd) {
        ObjectTree.Builder b = t.toBuilder().clearChildren();
        boolean here = t.getObjectId().equals(victim);
        for (ObjectTree child : t.getChildrenList()) {
            if (here && m == Mutation.TREE_DROP_CHILD && b.getChildrenCount() == 0) {
                continue; // the first child goes
            }
            b.addChildren(editTree(child, victim, m, root, rnd));
        }
        if (here) {
            switch (m) {
                case TREE_REPEAT_CHILD -> {
                    if (t.getChildrenCount() > 0) {
                        b.addChildren(t.getChildren(0));
                    }
                }
                case TREE_EXTRA_CHILD -> b.addChildren(ObjectTree.newBuilder().setObjectId(
                        FlowerObjects.objectId(new byte[] {(byte) rnd.nextInt()})));
                case TREE_SELF_REFERENCE -> b.addChildren(ObjectTree.newBuilder().setObjectId(root));
                case TREE_BAD_ID -> {
                    String[] bad = {"", "xyz", "0".repeat(63), "G".repeat(64), victim.toUpperCase() + "0"};
                    b.setObjectId(bad[rnd.nextInt(bad.length)]);
                }
                default -> { }
            }
        }
        return b.build();
    }

    /** Breaks one object's head or body and re-hashes it and everything above it. */
    private static void structuralMutation(Case c, Node root, List<Node> all, Random rnd) {
        Node victim = all.get(c.which() % all.size());
        List<Node> arrays = all.stream().filter(n -> n.type.equals("Array")).toList();
        Node array = arrays.get(c.which() % arrays.size());
        switch (c.mutation()) {
            case HEAD_TYPE -> {
                String[] types = {"Message", "RecordDict", "ArrayRecord", "Array", "ArrayChunk", "MetricRecord",
                    "ConfigRecord", "Unknown", "array"};
                victim.type = types[c.which() % types.length];
            }
            case HEAD_BODY_LENGTH -> victim.headOverride = victim.type + " " + Node.CHILDREN + " " + new String[] {"-1", "2147483648", "99999999999", "", "1e3", "+0", " 3"}[rnd.nextInt(7)];
            case HEAD_GARBAGE -> victim.headOverride = new String[] {"", victim.type, victim.type + "  ",
                victim.type + " a,b 0", " " + victim.type + " " + Node.CHILDREN + " 0", victim.type + " " + "0".repeat(64) + ", 0",
                victim.type + " x y z"}[rnd.nextInt(7)];
            case HEAD_REPEAT_CHILD -> {
                if (!victim.children.isEmpty()) {
                    victim.children = new ArrayList<>(victim.children);
                    victim.children.add(victim.children.get(0));
                }
            }
            case HEAD_DROP_CHILD -> {
                if (!victim.children.isEmpty()) {
                    victim.children = new ArrayList<>(victim.children.subList(1, victim.children.size()));
                }
            }
            case HEAD_EXTRA_CHILD -> {
                victim.children = new ArrayList<>(victim.children);
                // A leaf other than the victim: objects named by hashes cannot form a cycle.
                List<Node> leaves = all.stream().filter(n -> n.children.isEmpty() && n != victim).toList();
                if (!leaves.isEmpty()) {
                    victim.children.add(leaves.get(rnd.nextInt(leaves.size())));
                }
            }
            case REFS_BODY -> {
                Node rec = all.stream().filter(n -> n.type.equals("RecordDict") || n.type.equals("ArrayRecord"))
                        .toList().get(c.which() % 2 == 0 ? 0 : all.indexOf(array) % 2);
                String text = new String(rec.body, StandardCharsets.UTF_8);
                String[] edits = {text.replaceFirst("\"[^\"]*\":", "\"\":"), text.replaceFirst(": \"[0-9a-f]{64}\"",
                    ": 3"), "[]", "{", "null", text.substring(0, text.length() - 1) + ", \"dup\": \"x\"}",
                    text.replaceFirst("\\{\"([^\"]*)\": (\"[0-9a-f]{64}\")", "{\"$1\": $2, \"$1\": $2")};
                rec.body = edits[rnd.nextInt(edits.length)].getBytes(StandardCharsets.UTF_8);
            }
            case ARRAY_META -> {
                String text = new String(array.body, StandardCharsets.UTF_8);
                String[] edits = {text.replaceFirst("\"dtype\": \"[a-z0-9]*\"", "\"dtype\": \"complex64\""),
                    text.replaceFirst("\"dtype\": \"[a-z0-9]*\"", "\"dtype\": \"float32\""),
                    text.replaceFirst("\"shape\": \\[[^]]*]", "\"shape\": [2147483647, 2147483647]"),
                    text.replaceFirst("\"shape\": \\[[^]]*]", "\"shape\": [-1]"),
                    text.replaceFirst("\"shape\": \\[[^]]*]", "\"shape\": [1.5]"),
                    text.replaceFirst("\"stype\": \"[^\"]*\"", "\"stype\": \"torch\""),
                    text.replaceFirst("\"arraychunk_ids\": \\[[^]]*]", "\"arraychunk_ids\": [9]"),
                    text.replaceFirst("\"arraychunk_ids\": \\[[^]]*]", "\"arraychunk_ids\": [-1]"),
                    text.replaceFirst("\"arraychunk_ids\": \\[[^]]*]", "\"arraychunk_ids\": [0.5]"),
                    text.replaceFirst("\"arraychunk_ids\": \\[[^]]*]", "\"arraychunk_ids\": []"),
                    text.replaceFirst("\"arraychunk_ids\": \\[", "\"arraychunk_ids\": [0, "),
                    text.replaceFirst(", \"stype\": \"[^\"]*\"", ""), "{}", "[1]"};
                array.body = edits[rnd.nextInt(edits.length)].getBytes(StandardCharsets.UTF_8);
            }
            case CHUNK_NPY -> {
                if (!array.children.isEmpty()) {
                    Node chunk = array.children.get(0);
                    // The .npy header (and the Array object) of the first chunk declare a huge or different shape.
                    String[] shapes = {"(2000000000,)", "(1000000, 1000)", "(2147483647, 2147483647)", "(3,)"};
                    String shape = shapes[rnd.nextInt(shapes.length)];
                    String h = "{'descr': '|i1', 'fortran_order': False, 'shape': " + shape + ", }";
                    h = h + " ".repeat(63 - (10 + h.length()) % 64) + "\n";
                    byte[] npy = new byte[10 + h.length()];
                    System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, 0, npy, 0, 8);
                    npy[8] = (byte) h.length();
                    npy[9] = (byte) (h.length() >> 8);
                    System.arraycopy(h.getBytes(StandardCharsets.US_ASCII), 0, npy, 10, h.length());
                    chunk.body = npy;
                    String dims = shape.replace("(", "[").replace(",)", "]").replace(")", "]");
                    array.body = new String(array.body, StandardCharsets.UTF_8)
                            .replaceFirst("\"dtype\": \"[a-z0-9]*\"", "\"dtype\": \"int8\"")
                            .replaceFirst("\"shape\": \\[[^]]*]", "\"shape\": " + dims).getBytes(StandardCharsets.UTF_8);
                }
            }
            case CHUNK_TRUNCATE -> {
                if (!array.children.isEmpty()) {
                    Node chunk = array.children.get(rnd.nextInt(array.children.size()));
                    chunk.body = Arrays.copyOf(chunk.body, rnd.nextInt(chunk.body.length + 1));
                }
            }
            case PROTO_BODY -> {
                List<Node> protos = all.stream().filter(n -> n.type.equals("Message") || n.type.endsWith("cRecord")
                        || n.type.equals("ConfigRecord")).toList();
                Node p = protos.get(c.which() % protos.size());
                byte[] b = new byte[rnd.nextInt(40)];
                rnd.nextBytes(b);
                p.body = c.which() % 3 == 0 ? Arrays.copyOf(p.body, p.body.length / 2) : b;
            }
            default -> throw new IllegalStateException(c.mutation().toString());
        }
    }
}
