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
 * Flower's {@code adaptiveclipping_mod} for the Java node: as {@link FixedClippingMod}, and it also puts
 * {@code norm_bit} (1 when clipping scaled the update down, else 0) into the reply's single MetricRecord, from
 * which {@code DifferentialPrivacyClientSideAdaptiveClipping} adapts the clipping norm (Andrew et al. 2021).
 * A reply without exactly one MetricRecord is refused ({@code MOD_FAILED_PRECONDITION}).
 */
public final class AdaptiveClippingMod implements Mod {
    /** {@inheritDoc} */
    @Override
    public RecordDict apply(Message message, Context context, MessageHandler next) throws Exception {
        return ClippingMods.clip("adaptiveclipping_mod", true, message, context, next);
    }
}
