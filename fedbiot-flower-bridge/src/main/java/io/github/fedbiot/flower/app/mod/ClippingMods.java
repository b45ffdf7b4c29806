/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app.mod;

import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.app.ModException;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.Record;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.privacy.UpdateClipping;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link FixedClippingMod} and {@link AdaptiveClippingMod} share, line by line after flwr 1.42.0's
 * {@code flwr/clientapp/mod/centraldp_mods.py}: the checks of the instruction and the reply (with Flower's
 * error texts), the flat clipping of the reply's arrays to the {@code clipping_norm} around the received ones,
 * and the reply rebuilt with its keys and dtypes.
 */
final class ClippingMods {
    /** The config key the server-side wrapper sends (flwr {@code KEY_CLIPPING_NORM}). */
    static final String KEY_CLIPPING_NORM = "clipping_norm";
    /** The metric key the adaptive mod returns (flwr {@code KEY_NORM_BIT}). */
    static final String KEY_NORM_BIT = "norm_bit";

    private static final Logger logger = LoggerFactory.getLogger(ClippingMods.class);

    private ClippingMods() {}

    /**
     * Runs the chain and clips the reply.
     *
     * @param name the mod's Flower name, for messages
     * @param adaptive whether to add {@code norm_bit} to the reply's single MetricRecord
     */
    static RecordDict clip(String name, boolean adaptive, Message msg, Context ctx, MessageHandler next)
            throws Exception {
        if (!"train".equals(msg.metadata().category())) {
            return next.handle(msg, ctx); // as flwr's legacy mods: only train replies carry an update
        }
        ArrayRecord sent = single(name, msg.content(), ArrayRecord.class);
        ConfigRecord config = single(name, msg.content(), ConfigRecord.class);
        if (!config.containsKey(KEY_CLIPPING_NORM)) {
            throw new ModException(name + " requires the key '" + KEY_CLIPPING_NORM + "' to be present in the "
                    + "ConfigRecord, but it was not found. Please ensure the "
                    + "`DifferentialPrivacyClientSideFixedClipping` wrapper is used in the ServerApp.");
        }
        double clippingNorm = config.getDouble(KEY_CLIPPING_NORM);
        if (!(clippingNorm > 0) || Double.isInfinite(clippingNorm)) {
            throw new ModException(name + ": '" + KEY_CLIPPING_NORM + "' must be a positive number, got "
                    + clippingNorm);
        }
        RecordDict reply = next.handle(msg, ctx);
        Map.Entry<String, ArrayRecord> out = singleEntry(name, reply, ArrayRecord.class);
        Map.Entry<String, MetricRecord> metrics = adaptive ? singleEntry(name, reply, MetricRecord.class) : null;
        if (!new ArrayList<>(sent.asMap().keySet()).equals(new ArrayList<>(out.getValue().asMap().keySet()))) {
            throw new ModException(name + " expects the keys in the ArrayRecord of the reply message to match those "
                    + "from the ArrayRecord that the ClientApp received, but they do not.");
        }
        UpdateClipping.Clipped c = UpdateClipping.clip(out.getValue().toNamedTensors(), sent.toNamedTensors(),
                clippingNorm);
        logger.info("{}: parameters are clipped by value: {}.", name, String.format("%.4f", clippingNorm));
        RecordDict.Builder b = RecordDict.builder();
        for (Map.Entry<String, Record> e : reply.asMap().entrySet()) {
            if (e.getKey().equals(out.getKey())) {
                b.add(e.getKey(), rebuild(out.getValue(), c.clipped()));
            } else if (metrics != null && e.getKey().equals(metrics.getKey())) {
                MetricRecord.Builder m = MetricRecord.builder();
                metrics.getValue().asMap().forEach(m::put);
                m.put(KEY_NORM_BIT, c.wasClipped() ? 1L : 0L); // an int, as flwr: MetricRecord has no bool
                b.add(e.getKey(), m.build());
            } else {
                b.add(e.getKey(), e.getValue());
            }
        }
        return b.build();
    }

    /** The clipped tensors under the reply's keys, each in the reply array's dtype. */
    private static ArrayRecord rebuild(ArrayRecord reply, NamedTensors clipped) {
        ArrayRecord.Builder b = ArrayRecord.builder();
        for (Map.Entry<String, Array> e : reply.asMap().entrySet()) {
            b.add(e.getKey(), Array.fromTensor(clipped.get(e.getKey()), e.getValue().dtype()));
        }
        return b.build();
    }

    private static <R extends Record> R single(String name, RecordDict content, Class<R> kind) {
        return singleEntry(name, content, kind).getValue();
    }

    private static <R extends Record> Map.Entry<String, R> singleEntry(String name, RecordDict content,
            Class<R> kind) {
        Map<String, R> all = content.recordsOf(kind);
        if (all.size() != 1) {
            throw new ModException(name + " expects exactly one " + kind.getSimpleName() + ", but found "
                    + all.size() + " " + kind.getSimpleName() + "(s).");
        }
        return all.entrySet().iterator().next();
    }
}
