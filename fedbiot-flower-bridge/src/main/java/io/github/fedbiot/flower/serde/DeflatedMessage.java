/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import io.github.fedbiot.flower.proto.ObjectTree;
import java.util.Collections;
import java.util.Map;

/**
 * A message turned into Flower objects, ready for {@code PushMessages} and {@code PushObject}.
 *
 * @param messageId the message's object id (root of the tree)
 * @param tree the object tree
 * @param objects every unique object, in post-order (children before parents); the chunks of arrays are made
 *     from the arrays each time they are read (see {@code get}), not kept
 * @param pushProto the message as sent in {@code PushMessagesRequest.messages_list}: metadata with the message
 *     id, an empty content RecordDict (or the error), as flwr's {@code remove_content_from_message}
 */
public record DeflatedMessage(String messageId, ObjectTree tree, Map<String, byte[]> objects,
        io.github.fedbiot.flower.proto.Message pushProto) {

    /** Makes the object map unmodifiable. */
    public DeflatedMessage {
        if (!(objects instanceof ObjectContents)) {
            objects = Collections.unmodifiableMap(objects);
        }
    }

    /** Returns the total bytes of all objects. @return the size */
    public long byteSize() {
        return objects instanceof ObjectContents c ? c.byteSize()
                : objects.values().stream().mapToLong(b -> b.length).sum();
    }
}
