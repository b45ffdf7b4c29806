/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.algorithm.ClientRoundConfig;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round trips of the FedBiOT message layout and the errors for malformed messages. */
class FedBiOTRecordsTest {
    static final ClientRoundConfig CONFIG = new ClientRoundConfig(List.of(0, 2, 5), new LoraSpec(4, 8, 0.05,
            List.of("q_proj", "v_proj")), new OptimizerConfig(1e-3, 0.9, 0.95, 1e-8, 0.01), 3, 2, 4, 0.5, false,
            -1234567890123L);

    static NamedTensors tensors(String prefix, float base) {
        return NamedTensors.builder()
                .add(prefix + ".lora_A.weight", new Tensor(new int[] {2, 3}, new float[] {base, 1, 2, 3, 4, 5}))
                .add(prefix + ".lora_B.weight", new Tensor(new int[] {3, 2}, new float[] {-base, 0, 0, 0, 0, 7}))
                .build();
    }

    @Test
    void roundMessageRoundTrip() {
        RoundMessage m = new RoundMessage(4, tensors("model.layers.5.self_attn.q_proj", 0.5f),
                tensors("model.layers.2.self_attn.v_proj", -2f), CONFIG);
        RecordDict content = FedBiOTRecords.toRecordDict(m);
        assertThat(content.asMap().keySet()).containsExactly("adapter", "emulator", "config");
        assertThat(content.configRecord("config").getLong("server-round")).isEqualTo(4);
        RoundMessage back = FedBiOTRecords.roundMessage(content);
        assertThat(back).isEqualTo(m);
    }

    @Test
    void clientUpdateRoundTripCarriesTheFedAvgWeight() {
        ClientUpdate u = new ClientUpdate("client-01", 12, tensors("model.layers.5.self_attn.q_proj", 1f),
                Map.of(ClientUpdate.TRAIN_LOSS, 2.5, ClientUpdate.STEPS, 3.0));
        RecordDict content = FedBiOTRecords.toRecordDict(u);
        assertThat(content.metricRecord("metrics").getLong("num-examples")).isEqualTo(12);
        ClientUpdate back = FedBiOTRecords.clientUpdate("client-01", content);
        assertThat(back.samples()).isEqualTo(12);
        assertThat(back.adapterLora()).isEqualTo(u.adapterLora());
        assertThat(back.metrics()).isEqualTo(u.metrics());
    }

    @Test
    void malformedInstructionsNameTheProblem() {
        RecordDict good = FedBiOTRecords.toRecordDict(new RoundMessage(1, tensors("a", 1f), NamedTensors.empty(),
                CONFIG));
        RecordDict noEmulator = RecordDict.builder().add("adapter", good.arrayRecord("adapter"))
                .add("config", good.configRecord("config")).build();
        assertThatThrownBy(() -> FedBiOTRecords.roundMessage(noEmulator)).hasMessageContaining("emulator");

        RecordDict emptyAdapter = RecordDict.builder().add("adapter", ArrayRecord.builder().build())
                .add("emulator", good.arrayRecord("emulator")).add("config", good.configRecord("config")).build();
        assertThatThrownBy(() -> FedBiOTRecords.roundMessage(emptyAdapter)).hasMessageContaining("adapter");

        Map<String, Object> cfg = new LinkedHashMap<>(good.configRecord("config").asMap());
        cfg.put("fedbiot-local-steps", "three");
        assertThatThrownBy(() -> FedBiOTRecords.clientRoundConfig(ConfigRecord.of(cfg)))
                .hasMessageContaining("fedbiot-local-steps");
        cfg.put("fedbiot-local-steps", 0L);
        assertThatThrownBy(() -> FedBiOTRecords.clientRoundConfig(ConfigRecord.of(cfg)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("client.local_steps");
        cfg.remove("fedbiot-seed");
        assertThatThrownBy(() -> FedBiOTRecords.clientRoundConfig(ConfigRecord.of(cfg)))
                .hasMessageContaining("fedbiot-seed");
        cfg.put("fedbiot-seed", 1L);
        cfg.put("fedbiot-local-steps", 1L);
        cfg.put("fedbiot-stack", List.of(-1L));
        assertThatThrownBy(() -> FedBiOTRecords.clientRoundConfig(ConfigRecord.of(cfg)))
                .hasMessageContaining("fedbiot-stack");
    }
}
