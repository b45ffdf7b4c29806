/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app;

import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.RecordDict;
import java.util.List;

/**
 * A ClientApp mod, as Flower's {@code (msg, ctxt, call_next) -> Message}: it sees the instruction before the
 * handler and the reply after it, and may change either or refuse the message with a {@link ModException}
 * (an error reply with Flower's {@code MOD_FAILED_PRECONDITION}). Mods are added with
 * {@link ClientApp.Builder#addMod}; the first added is the outermost, as in Flower's {@code mods=[...]}.
 *
 * @see io.github.fedbiot.flower.app.mod.FixedClippingMod
 * @see io.github.fedbiot.flower.app.mod.AdaptiveClippingMod
 */
@FunctionalInterface
public interface Mod {
    /**
     * Handles a message around the rest of the chain.
     *
     * @param message the instruction
     * @param context the node and run
     * @param next the rest of the chain (further mods, then the handler)
     * @return the reply content
     * @throws Exception if the message cannot be handled ({@link ModException} to refuse it)
     */
    RecordDict apply(Message message, Context context, MessageHandler next) throws Exception;

    /**
     * Wraps a handler in mods, the first outermost.
     *
     * @param handler the handler
     * @param mods the mods
     * @return the wrapped handler
     */
    static MessageHandler wrap(MessageHandler handler, List<Mod> mods) {
        MessageHandler h = handler;
        for (int i = mods.size() - 1; i >= 0; i--) {
            Mod mod = mods.get(i);
            MessageHandler next = h;
            h = (message, context) -> mod.apply(message, context, next);
        }
        return h;
    }
}
