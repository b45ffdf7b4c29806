/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.Record;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a message's records from its verified objects: each object's type and its head's children are checked
 * against what the record kind allows, and an Array comes either assembled already (from its chunks, as the node
 * pulls them) or from its chunk objects here. Every error names the record and array at fault.
 */
final class ObjectInflater {
    private final Map<String, byte[]> objects;
    private final Map<String, Array> prebuilt;

    ObjectInflater(Map<String, byte[]> objects, Map<String, Array> prebuilt) {
        this.objects = objects;
        this.prebuilt = prebuilt;
    }

    byte[] object(String id, String expectedType, String what) {
        byte[] content = objects.get(id);
        if (content == null) {
            throw new RecordException(what + ": object " + id + " was not received");
        }
        FlowerObjects.Head h = FlowerObjects.parseHead(content);
        if (expectedType != null && !expectedType.equals(h.type())) {
            throw new RecordException(what + ": expected a " + expectedType + " object, got '" + h.type() + "'");
        }
        return content;
    }

    private JsonNode json(byte[] content, String what) {
        return MessageSerde.jsonBody(content, what);
    }

    /** Reads a JSON {key: child id} body and checks its ids are exactly the head's children. */
    private LinkedHashMap<String, String> refs(byte[] content, String what) {
        FlowerObjects.Head h = FlowerObjects.parseHead(content);
        JsonNode body = json(content, what);
        LinkedHashMap<String, String> refs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!e.getValue().isTextual()) {
                throw new RecordException(what + ": entry '" + e.getKey() + "' is not an object id");
            }
            refs.put(e.getKey(), e.getValue().asText());
        }
        if (!new HashSet<>(refs.values()).equals(new HashSet<>(h.childIds()))) {
            throw new RecordException(what + ": " + h.type() + " body references differ from its head's children");
        }
        return refs;
    }

    RecordDict recordDict(String id) {
        byte[] content = object(id, "RecordDict", "content");
        RecordDict.Builder b = RecordDict.builder();
        for (Map.Entry<String, String> e : refs(content, "content").entrySet()) {
            String what = "record '" + e.getKey() + "'";
            byte[] rc = object(e.getValue(), null, what);
            FlowerObjects.Head h = FlowerObjects.parseHead(rc);
            byte[] body = java.util.Arrays.copyOfRange(rc, h.bodyOffset(), rc.length);
            Record r;
            try {
                r = switch (h.type()) {
                    case "ArrayRecord" -> arrayRecord(rc, what);
                    case "MetricRecord" -> {
                        noChildren(h, what);
                        yield RecordProtos.fromProto(io.github.fedbiot.flower.proto.MetricRecord.parseFrom(body));
                    }
                    case "ConfigRecord" -> {
                        noChildren(h, what);
                        yield RecordProtos.fromProto(io.github.fedbiot.flower.proto.ConfigRecord.parseFrom(body));
                    }
                    default -> throw new RecordException(what + ": unknown record type '" + h.type()
                            + "'; expected ArrayRecord, MetricRecord or ConfigRecord");
                };
            } catch (InvalidProtocolBufferException ex) {
                throw new RecordException(what + ": " + h.type() + " body is not valid protobuf: "
                        + ex.getMessage(), ex);
            } catch (RecordException ex) {
                throw ex.getMessage().startsWith(what) ? ex : new RecordException(what + ": " + ex.getMessage(), ex);
            }
            add(() -> b.add(e.getKey(), r), what);
        }
        return b.build();
    }

    /** Adds to a record builder; its refusal (an empty or repeated key) is the sender's error, not this node's. */
    private static void add(Runnable add, String what) {
        try {
            add.run();
        } catch (IllegalArgumentException e) {
            throw new RecordException(what + ": " + e.getMessage(), e);
        }
    }

    private static void noChildren(FlowerObjects.Head h, String what) {
        if (!h.childIds().isEmpty()) {
            throw new RecordException(what + ": a " + h.type() + " has no children, its head lists "
                    + h.childIds().size());
        }
    }

    private ArrayRecord arrayRecord(byte[] content, String what) {
        ArrayRecord.Builder b = ArrayRecord.builder();
        for (Map.Entry<String, String> e : refs(content, what).entrySet()) {
            String w = what + ", array '" + e.getKey() + "'";
            try {
                Array a = array(e.getValue(), w);
                add(() -> b.add(e.getKey(), a), w);
            } catch (RecordException ex) {
                throw ex.getMessage().startsWith(w) ? ex : new RecordException(w + ": " + ex.getMessage(), ex);
            }
        }
        return b.build();
    }

    private Array array(String id, String what) {
        byte[] content = object(id, "Array", what);
        Array built = prebuilt.get(id);
        if (built != null) {
            return built;
        }
        long available = 0; // the chunks are all at hand: their data cannot be longer than they are
        for (String chunk : ArrayAssembly.open(content, what, 0).chunkOrder()) {
            byte[] c = objects.get(chunk);
            available += c == null ? 0 : c.length;
        }
        ArrayAssembly a = ArrayAssembly.open(content, what, available);
        for (String chunk : a.chunkOrder()) {
            a.accept(chunk, object(chunk, "ArrayChunk", what));
        }
        return a.build();
    }
}
