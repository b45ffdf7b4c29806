/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.supernode;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.app.ModException;
import io.github.fedbiot.flower.proto.ObjectTree;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MessageError;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.flower.serde.FlowerObjects;
import io.github.fedbiot.flower.serde.MessageSerde;
import io.github.fedbiot.flower.serde.ObjectLimits;
import io.github.fedbiot.flower.serde.RecordProtos;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one pulled instruction into its reply, without any network: checks the objects (ids, limits), inflates
 * the message and runs the {@link ClientApp}'s handler. It never throws for bad input: a malformed message, an
 * object whose content does not match its id, an object over a limit, an unknown message type, an array of the
 * wrong dtype or shape, or a handler exception each give an error reply naming the problem, and a log line.
 */
final class InstructionProcessor {
    private static final Logger logger = LoggerFactory.getLogger(InstructionProcessor.class);

    private final ClientApp app;
    private final MessageSerde serde;
    private final ObjectLimits limits;
    private final Map<String, Object> nodeConfig;

    InstructionProcessor(ClientApp app, MessageSerde serde, ObjectLimits limits, Map<String, Object> nodeConfig) {
        this.app = app;
        this.serde = serde;
        this.limits = limits;
        this.nodeConfig = Map.copyOf(nodeConfig);
    }

    /**
     * Checks one received object against its id and the limits.
     *
     * @param id the id it was pulled under
     * @param content its bytes
     * @param totalBefore the bytes of the message's objects received before it
     * @throws RecordException if the content hash differs from the id or a limit is exceeded
     */
    void checkObject(String id, byte[] content, long totalBefore) {
        if (content.length > limits.maxObjectBytes()) {
            throw new RecordException("object " + id + " is " + content.length + " bytes, over the limit of "
                    + limits.maxObjectBytes() + " (maxObjectBytes)");
        }
        if (totalBefore + content.length > limits.maxMessageBytes()) {
            throw new RecordException("message objects exceed " + limits.maxMessageBytes()
                    + " bytes (maxMessageBytes)");
        }
        String actual = FlowerObjects.objectId(content);
        if (!actual.equals(id)) {
            throw new RecordException("object " + id + " has content with SHA-256 " + actual
                    + "; its id does not match its content");
        }
    }

    /**
     * Returns the most bytes the {@code .npy} data of an array may declare before its storage is allocated: what
     * its chunk objects can carry under the limits, and what the message may still receive.
     *
     * @param chunks the number of the array's chunk objects
     * @param totalBefore the bytes of the message's objects received so far
     * @return the bound
     */
    long maxArrayBytes(int chunks, long totalBefore) {
        return Math.min(limits.maxMessageBytes() - totalBefore, chunks * limits.maxObjectBytes());
    }

    /**
     * Checks the tree's size before anything is pulled.
     *
     * @param ids the tree's unique ids
     * @throws RecordException if there are too many objects
     */
    void checkTreeSize(List<String> ids) {
        if (ids.size() > limits.maxObjects()) {
            throw new RecordException("message has " + ids.size() + " objects, over the limit of "
                    + limits.maxObjects() + " (maxObjects)");
        }
    }

    /**
     * Returns the error reply for an instruction this node rejects.
     *
     * @param md the instruction's metadata
     * @param problem what is wrong
     * @return the reply
     */
    Message reject(Metadata md, String problem) {
        logger.warn("[node {}] rejected {} message {}: {}", Long.toUnsignedString(md.dstNodeId()), md.messageType(),
                shortId(md.messageId()), problem);
        return Message.ofError(md.replyAt(now()), new MessageError(MessageError.UNKNOWN,
                "Java SuperNode rejected the message: " + problem));
    }

    /**
     * An inflated instruction, or the error reply that rejects it.
     *
     * @param instruction the instruction (content present), or null
     * @param rejection the error reply, or null
     */
    record Inflated(Message instruction, Message rejection) {}

    /**
     * Inflates an instruction whose objects were each checked with {@link #checkObject} as they arrived. The
     * objects are not needed afterwards: the instruction holds its own copy of every array.
     *
     * @param pulled the message as PullMessages returned it
     * @param tree its object tree
     * @param objects its objects by id
     * @param arrays arrays already assembled from their chunks, by the id of their Array object (whose chunk
     *     objects may be absent)
     * @return the instruction, or the error reply when it is malformed or carries an error
     */
    Inflated inflate(io.github.fedbiot.flower.proto.Message pulled, ObjectTree tree, Map<String, byte[]> objects,
            Map<String, Array> arrays) {
        Metadata md = RecordProtos.fromProto(pulled.getMetadata()).withMessageId(tree.getObjectId());
        try {
            checkTreeSize(MessageSerde.postOrderIds(tree));
            Message ins = serde.inflate(tree, objects, arrays, pulled.getMetadata());
            if (!ins.hasContent()) {
                throw new RecordException("the instruction carries an error instead of content");
            }
            return new Inflated(ins, null);
        } catch (RecordException e) {
            return new Inflated(null, reject(md, e.getMessage()));
        }
    }

    /**
     * Runs the app's handler on an inflated instruction.
     *
     * @param ins the instruction
     * @param nodeId this node
     * @param runConfig the run's config
     * @return a content reply or an error reply; never null
     */
    Message run(Message ins, long nodeId, Map<String, Object> runConfig) {
        Metadata md = ins.metadata();
        MessageHandler h = app.handlerFor(md.messageType()).orElse(null);
        if (h == null) {
            return reject(md, "no handler for message type '" + md.messageType() + "'; this node handles "
                    + app.messageTypes());
        }
        try {
            RecordDict content = h.handle(ins, new Context(nodeId, md.runId(), nodeConfig, runConfig));
            if (content == null) {
                throw new IllegalStateException("the " + md.messageType() + " handler returned null");
            }
            return Message.ofContent(md.replyAt(now()), content);
        } catch (ModException e) {
            logger.warn("[node {}] {} message refused by a mod: {}", Long.toUnsignedString(nodeId),
                    md.messageType(), e.getMessage());
            return Message.ofError(md.replyAt(now()), new MessageError(e.code(), e.getMessage()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            logger.warn("[node {}] {} handler failed: {}", Long.toUnsignedString(nodeId), md.messageType(),
                    e.toString());
            return Message.ofError(md.replyAt(now()), new MessageError(MessageError.CLIENT_APP_RAISED_EXCEPTION,
                    e.getClass().getName() + ": " + e.getMessage()));
        }
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    static String shortId(String id) {
        return id == null || id.length() < 12 ? String.valueOf(id) : id.substring(0, 12);
    }
}
