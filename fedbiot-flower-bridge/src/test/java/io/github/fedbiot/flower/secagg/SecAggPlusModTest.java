/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.Metadata;
import io.github.fedbiot.flower.record.RecordDict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mod's message handling without a SuperLink: pass-through, stage order, config checks, refusals. */
class SecAggPlusModTest {
    private static final Context CTX = new Context(5, 9, Map.of(), Map.of());
    private final MessageHandler echo = (m, c) -> RecordDict.builder().add("seen", ConfigRecord.of(Map.of("x", 1L)))
            .build();
    private final MessageHandler mod = SecAggPlusMod.builder().setSeed(1).build().wrap(echo);

    private static Message msg(String type, Map<String, Object> configs) {
        RecordDict.Builder b = RecordDict.builder();
        if (configs != null) {
            b.add(SecAggPlusKey.RECORD_KEY_CONFIGS, ConfigRecord.of(configs));
        }
        return Message.ofContent(new Metadata(9, "m", 1, 5, "", "1", 60, type, 0), b.build());
    }

    private static Map<String, Object> setup() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("stage", "setup");
        c.put("sample_num", 3L);
        c.put("share_num", 3L);
        c.put("threshold", 2L);
        c.put("clipping_range", 8.0);
        c.put("target_range", 1L << 22);
        c.put("mod_range", 1L << 32);
        c.put("max_weight", 1000.0);
        return c;
    }

    @Test
    void otherMessageTypesPassThrough() throws Exception {
        assertThat(mod.handle(msg("evaluate", null), CTX).asMap()).containsKey("seen");
    }

    @Test
    void setupAnswersTwoDistinctPemPublicKeys() throws Exception {
        ConfigRecord r = mod.handle(msg("train", setup()), CTX).configRecord(SecAggPlusKey.RECORD_KEY_CONFIGS);
        assertThat(new String(r.getBytes("pk1"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(r.getBytes("pk1")).isNotEqualTo(r.getBytes("pk2"));
    }

    @Test
    void refusesWhatFlwrRefuses() throws Exception {
        assertThatThrownBy(() -> mod.handle(msg("train", null), CTX)).isInstanceOf(SecAggPlusException.class)
                .hasMessageContaining("no ConfigRecord 'secaggplus_configs'");
        assertThatThrownBy(() -> mod.handle(msg("train", Map.of("stage", "share_keys")), CTX))
                .hasMessage("Abort secure aggregation: expect setup stage, but receive share_keys stage");
        Map<String, Object> bad = setup();
        bad.put("clipping_range", 8L);
        assertThatThrownBy(() -> mod.handle(msg("train", bad), CTX)).hasMessage("Stage setup: The value for the key "
                + "'clipping_range' must be of type float, but got int instead.");
        Map<String, Object> missing = setup();
        missing.remove("threshold");
        assertThatThrownBy(() -> mod.handle(msg("train", missing), CTX))
                .hasMessage("Stage setup: the required key 'threshold' is missing from the ConfigRecord.");
        assertThatThrownBy(() -> mod.handle(msg("train", Map.of("stage", "bogus")), CTX))
                .hasMessage("Unknown SecAgg+ stage: 'bogus'");
    }

    @Test
    void shareKeysChecksTheNeighbourKeysWithoutEchoingThem() throws Exception {
        ConfigRecord keys = mod.handle(msg("train", setup()), CTX).configRecord(SecAggPlusKey.RECORD_KEY_CONFIGS);
        Map<String, Object> share = new LinkedHashMap<>();
        share.put("stage", "share_keys");
        share.put("5", List.of(keys.getBytes("pk1"), keys.getBytes("pk2")));
        share.put("6", List.of(keys.getBytes("pk1"), keys.getBytes("pk2")));
        assertThatThrownBy(() -> mod.handle(msg("train", share), CTX)).hasMessage("Some public keys are identical");
        // a failed stage is not recorded: the node still expects share_keys
        assertThatThrownBy(() -> mod.handle(msg("train", Map.of("stage", "unmask", "active_nids", List.of(5L),
                "dead_nids", List.of())), CTX)).hasMessageContaining("expect share_keys stage");
        assertThatThrownBy(() -> SecAggPlusMod.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
