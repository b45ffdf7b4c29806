/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.app.mod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.app.ModException;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MessageError;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.NumpyDType;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java fixedclipping_mod / adaptiveclipping_mod on in-memory messages (the interop tests run them for real). */
class ClippingModsTest {
    static final Context CTX = new Context(1, 2, Map.of(), Map.of());

    static Message instruction(String type, Map<String, ?> config) {
        RecordDict content = RecordDict.builder()
                .add("arrays", ArrayRecord.builder()
                        .add("a", Array.fromTensor(new Tensor(new int[] {2}, new float[] {1, 1}), NumpyDType.FLOAT64))
                        .add("b", new Tensor(new int[] {1}, new float[] {1})).build())
                .add("config", ConfigRecord.of(config)).build();
        return Message.ofContent(new Metadata(2, "m", 1, 1, "", "", 600, type, 1.0), content);
    }

    /** Adds (3, 4, 0) to what it received: an update of norm 5. */
    static final MessageHandler TRAIN = (msg, ctx) -> {
        ArrayRecord in = msg.content().arrayRecord("arrays");
        float[] a = in.get("a").toTensor().data();
        return RecordDict.builder()
                .add("arrays", ArrayRecord.builder()
                        .add("a", Array.fromTensor(new Tensor(new int[] {2}, new float[] {a[0] + 3, a[1] + 4}),
                                NumpyDType.FLOAT64))
                        .add("b", in.get("b")).build())
                .add("metrics", MetricRecord.of(Map.of("num-examples", 10L))).build();
    };

    @Test
    void fixedClippingClipsTheUpdateAndKeepsKeysAndDtypes() throws Exception {
        RecordDict reply = new FixedClippingMod().apply(instruction("train", Map.of("clipping_norm", 1.0)), CTX,
                TRAIN);
        Array a = reply.arrayRecord("arrays").get("a");
        assertThat(a.dtype()).isEqualTo(NumpyDType.FLOAT64);
        assertThat(a.toTensor().data()[0]).isCloseTo(1.6f, within(1e-6f));
        assertThat(a.toTensor().data()[1]).isCloseTo(1.8f, within(1e-6f));
        assertThat(reply.arrayRecord("arrays").asMap().keySet()).containsExactly("a", "b");
        assertThat(reply.metricRecord("metrics").containsKey("norm_bit")).isFalse();
    }

    @Test
    void adaptiveClippingReportsTheNormBit() throws Exception {
        RecordDict clipped = new AdaptiveClippingMod().apply(instruction("train", Map.of("clipping_norm", 1.0)),
                CTX, TRAIN);
        assertThat(clipped.metricRecord("metrics").getLong("norm_bit")).isEqualTo(1);
        assertThat(clipped.metricRecord("metrics").getLong("num-examples")).isEqualTo(10);
        RecordDict kept = new AdaptiveClippingMod().apply(instruction("train", Map.of("clipping_norm", 10.0)), CTX,
                TRAIN);
        assertThat(kept.metricRecord("metrics").getLong("norm_bit")).isZero();
        assertThat(kept.arrayRecord("arrays").get("a").toTensor().data()).containsExactly(4f, 5f);
    }

    @Test
    void refusesWithFlowersReasons() {
        assertThatThrownBy(() -> new FixedClippingMod().apply(instruction("train", Map.of("lr", 0.1)), CTX, TRAIN))
                .isInstanceOf(ModException.class).hasMessageContaining("requires the key 'clipping_norm'")
                .satisfies(e -> assertThat(((ModException) e).code()).isEqualTo(MessageError.MOD_FAILED_PRECONDITION));
        MessageHandler renaming = (msg, ctx) -> RecordDict.builder().add("arrays", ArrayRecord.builder()
                .add("x", new Tensor(new int[] {1}, new float[] {0})).build()).build();
        assertThatThrownBy(() -> new FixedClippingMod().apply(instruction("train", Map.of("clipping_norm", 1.0)),
                CTX, renaming)).hasMessageContaining("expects the keys in the ArrayRecord of the reply message");
        MessageHandler noMetrics = (msg, ctx) -> RecordDict.builder().add("arrays",
                msg.content().arrayRecord("arrays")).build();
        assertThatThrownBy(() -> new AdaptiveClippingMod().apply(instruction("train", Map.of("clipping_norm", 1.0)),
                CTX, noMetrics)).hasMessageContaining("expects exactly one MetricRecord, but found 0");
    }

    @Test
    void evaluateMessagesPassThroughAndModsWrapEveryHandler() throws Exception {
        MessageHandler eval = (msg, ctx) -> RecordDict.builder().add("metrics", MetricRecord.of(Map.of("loss", 1.0)))
                .build();
        ClientApp app = ClientApp.builder().optTrain(TRAIN).optEvaluate(eval).build()
                .withMods(new AdaptiveClippingMod());
        assertThat(app.handlerFor("evaluate").orElseThrow().handle(instruction("evaluate", Map.of()), CTX)
                .metricRecord("metrics").containsKey("norm_bit")).isFalse();
        assertThat(app.handlerFor("train").orElseThrow().handle(instruction("train", Map.of("clipping_norm", 1.0)),
                CTX).metricRecord("metrics").getLong("norm_bit")).isEqualTo(1);
    }
}
