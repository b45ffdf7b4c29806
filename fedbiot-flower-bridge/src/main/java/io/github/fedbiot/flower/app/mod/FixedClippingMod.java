/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app.mod;

import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.app.Mod;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.RecordDict;

/**
 * Flower's {@code fixedclipping_mod} for the Java node: with a ServerApp whose strategy is wrapped in
 * {@code DifferentialPrivacyClientSideFixedClipping}, it clips the update of each {@code train} reply (the reply's
 * arrays minus the received ones, flat L2 over all arrays) to the {@code clipping_norm} of the instruction's
 * ConfigRecord before it leaves the node. Add it last among mods that change the arrays:
 * {@code ClientApp.builder()...addMod(new FixedClippingMod())}.
 *
 * <p>An instruction without exactly one ArrayRecord and one ConfigRecord, without {@code clipping_norm}, or a
 * reply whose ArrayRecord does not have the received keys in order, is refused with Flower's error texts
 * ({@code MOD_FAILED_PRECONDITION}). Other message types pass through unchanged.
 */
public final class FixedClippingMod implements Mod {
    /** {@inheritDoc} */
    @Override
    public RecordDict apply(Message message, Context context, MessageHandler next) throws Exception {
        return ClippingMods.clip("fixedclipping_mod", false, message, context, next);
    }
}
