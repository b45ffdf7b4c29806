/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.ArrayAssembly;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.transport.FleetConnection;
import io.github.fedbiot.flower.transport.FleetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one instruction's objects from the SuperLink (PullObject for each object of its tree), checks each
 * against its id and the node's limits as it arrives, streams array chunks into their arrays, and confirms the
 * message (ConfirmMessageReceived) on every way out, refusals included.
 */
final class MessagePuller {
    private static final Logger logger = LoggerFactory.getLogger(MessagePuller.class);

    private final FleetConnection fleet;
    private final InstructionProcessor processor;
    private final Retrier retrier;
    private final NodeRef self;

    MessagePuller(FleetConnection fleet, InstructionProcessor processor, Retrier retrier, NodeRef self) {
        this.fleet = fleet;
        this.processor = processor;
        this.retrier = retrier;
        this.self = self;
    }

    /** A message's pulled objects, less the chunks of the arrays assembled while they were pulled. */
    record Pulled(Map<String, byte[]> objects, Map<String, Array> arrays) {}

    /**
     * Pulls the objects of a message, checking each against its id and the limits as it arrives, and confirms
     * receipt; null if the SuperLink no longer has them. An {@code Array} object is pulled before its chunks; when
     * none of them is shared, each chunk's body goes straight into the array's storage and the chunk is dropped
     * (see {@link ArrayAssembly}). Otherwise objects come children first, as Flower pulls them.
     */
    Pulled pull(long runId, ObjectTree tree, double expiresAt) {
        Map<String, byte[]> objects = new HashMap<>();
        Map<String, Array> arrays = new HashMap<>();
        Set<String> assembled = new HashSet<>();
        long[] total = {0};
        // Every way out, a refused tree included, confirms the message: a SuperLink that redelivers until
        // ConfirmMessageReceived (flwr 1.43) would otherwise hand the same message out until its TTL.
        try {
            processor.checkTreeSize(MessageSerde.postOrderIds(tree));
            Map<String, Integer> uses = new HashMap<>();
            countUses(tree, uses);
            List<ObjectTree> order = new ArrayList<>();
            pullOrder(tree, order);
            for (ObjectTree t : order) {
                String id = t.getObjectId();
                if (objects.containsKey(id) || assembled.contains(id)) {
                    continue;
                }
                byte[] content = pullChecked(runId, id, expiresAt, total, tree);
                if (content == null) {
                    return null;
                }
                objects.put(id, content);
                ArrayAssembly a = assembly(t, content, uses,
                        processor.maxArrayBytes(t.getChildrenCount(), total[0]));
                if (a != null) {
                    for (String chunk : a.chunkOrder()) {
                        byte[] c = pullChecked(runId, chunk, expiresAt, total, tree);
                        if (c == null) {
                            return null;
                        }
                        a.accept(chunk, c);
                        assembled.add(chunk);
                    }
                    arrays.put(id, a.build());
                }
            }
        } catch (RecordException e) {
            awaitPushed(runId, tree, objects.keySet(), assembled, expiresAt);
            throw e;
        } finally {
            try {
                retrier.run(() -> fleet.confirmMessageReceived(self.value(), runId, tree.getObjectId()), expiresAt);
            } catch (FleetException e) {
                logger.warn("[node {}] ConfirmMessageReceived failed: {}", self.id(), e.getMessage());
            }
        }
        return new Pulled(objects, arrays);
    }

    /**
     * Before a refused message is confirmed, waits until the SuperLink has every object of it. Confirming deletes
     * the message's objects, and a ServerApp still pushing the rest would fail its whole run (flwr's
     * ObjectPushError); so the rest are pulled, and dropped at once, until all are there or the message expires.
     */
    private void awaitPushed(long runId, ObjectTree tree, Set<String> pulled, Set<String> assembled,
            double expiresAt) {
        for (String id : MessageSerde.postOrderIds(tree)) {
            if (pulled.contains(id) || assembled.contains(id) || !retrier.running()) {
                continue;
            }
            try {
                if (pullObject(runId, id, expiresAt) == null) {
                    return; // the message is gone already
                }
            } catch (FleetException e) {
                if (e.retryable() || Retrier.now() > expiresAt) {
                    return;
                }
                // e.g. an object over the transport's size limit: it is there, which is all this needs
            }
        }
    }

    /** Pulls one object and checks it; null (with a log line) if the SuperLink no longer has it. */
    private byte[] pullChecked(long runId, String id, double expiresAt, long[] total, ObjectTree tree) {
        byte[] content = pullObject(runId, id, expiresAt);
        if (content == null) {
            logger.warn("[node {}] object {} of message {} is gone from the SuperLink; dropping the message",
                    self.id(), InstructionProcessor.shortId(id), InstructionProcessor.shortId(tree.getObjectId()));
            return null;
        }
        processor.checkObject(id, content, total[0]);
        total[0] += content.length;
        return content;
    }

    /**
     * Returns an assembly for an Array object whose chunks can be streamed into it: its head's chunks are the
     * tree's, each appears once in the whole tree and once in the array. Null otherwise (not an Array, a
     * malformed one, shared chunks): its chunks are then pulled as objects and the inflater reports what is
     * wrong, naming the record and the array.
     */
    private static ArrayAssembly assembly(ObjectTree t, byte[] content, Map<String, Integer> uses,
            long maxDataBytes) {
        if (t.getChildrenCount() == 0 || t.getChildrenList().stream().anyMatch(c -> c.getChildrenCount() > 0
                || uses.get(c.getObjectId()) != 1)) {
            return null;
        }
        try {
            ArrayAssembly a = ArrayAssembly.open(content,
                    "array object " + InstructionProcessor.shortId(t.getObjectId()), maxDataBytes);
            return MessageSerde.sameChildren(a.childIds(), t) && a.eachChunkOnce() ? a : null;
        } catch (RecordException e) {
            return null;
        }
    }

    private static void countUses(ObjectTree t, Map<String, Integer> uses) {
        uses.merge(t.getObjectId(), 1, Integer::sum);
        t.getChildrenList().forEach(c -> countUses(c, uses));
    }

    /** Children first, except that a node whose children are all leaves (an Array and its chunks) comes first. */
    private static void pullOrder(ObjectTree t, List<ObjectTree> out) {
        boolean leafParent = t.getChildrenCount() > 0
                && t.getChildrenList().stream().allMatch(c -> c.getChildrenCount() == 0);
        if (leafParent) {
            out.add(t);
        }
        t.getChildrenList().forEach(c -> pullOrder(c, out));
        if (!leafParent) {
            out.add(t);
        }
    }

    private byte[] pullObject(long runId, String id, double expiresAt) {
        long sleep = 100;
        while (true) {
            FleetConnection.PulledObject r = retrier.call(() -> fleet.pullObject(self.value(), runId, id), expiresAt);
            if (!r.found()) {
                return null;
            }
            if (r.available()) {
                return r.content();
            }
            if (Retrier.now() > expiresAt) {
                throw new FleetException("object " + id + " did not become available before the message expired",
                        FleetException.Kind.REJECTED, "");
            }
            retrier.sleep(sleep);
            sleep = Math.min(sleep * 2, 10_000);
        }
    }
}
