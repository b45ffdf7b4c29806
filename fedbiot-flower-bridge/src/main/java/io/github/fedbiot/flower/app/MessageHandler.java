/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.RecordDict;

/** Handles one instruction from the ServerApp and returns the content of the reply. */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Handles a message. An exception becomes an error reply ({@code CLIENT_APP_RAISED_EXCEPTION}) that names
     * it; the node keeps running.
     *
     * @param message the instruction (content always present)
     * @param context the node and run
     * @return the reply content
     * @throws Exception if the instruction cannot be handled
     */
    RecordDict handle(Message message, Context context) throws Exception;
}
