/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.record;

import java.util.Objects;

/**
 * Flower's message metadata.
 *
 * @param runId the run
 * @param messageId the message's object id (empty before the message is deflated)
 * @param srcNodeId the sender ({@code 1} is the SuperLink / ServerApp)
 * @param dstNodeId the receiver
 * @param replyToMessageId the instruction this message answers, or empty
 * @param groupId the group (FedAvg: the round number), or empty
 * @param ttl seconds the message lives after {@code createdAt}
 * @param messageType {@code train}, {@code evaluate}, {@code query}, optionally {@code type.action}
 * @param createdAt Unix time in seconds
 */
public record Metadata(long runId, String messageId, long srcNodeId, long dstNodeId, String replyToMessageId,
        String groupId, double ttl, String messageType, double createdAt) {

    /** Checks that no string is null. */
    public Metadata {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(replyToMessageId, "replyToMessageId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(messageType, "messageType");
    }

    /**
     * Returns the category of the message type: the part before the first dot.
     *
     * @return e.g. {@code train} for {@code train.lora}
     */
    public String category() {
        int dot = messageType.indexOf('.');
        return dot < 0 ? messageType : messageType.substring(0, dot);
    }

    /**
     * Returns a copy with another message id.
     *
     * @param id the new id
     * @return the copy
     */
    public Metadata withMessageId(String id) {
        return new Metadata(runId, id, srcNodeId, dstNodeId, replyToMessageId, groupId, ttl, messageType, createdAt);
    }

    /**
     * Returns the metadata of a reply created at {@code now}, as Flower's {@code Message(content, reply_to=...)}:
     * source and destination swapped, same run, group and type, TTL cut to what the instruction has left.
     *
     * @param now Unix time in seconds
     * @return the reply metadata (message id empty)
     */
    public Metadata replyAt(double now) {
        double ttlLeft = createdAt + ttl - now;
        return new Metadata(runId, "", dstNodeId, srcNodeId, messageId, groupId, ttlLeft, messageType, now);
    }
}
