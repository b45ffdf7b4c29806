/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.cli.FedbiotCommand;
import io.github.fedbiot.cli.TinyFederation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness of {@code fedbiot bench flower-wire}: FedBiOT over a real flwr 1.42.0 SuperLink with two Java
 * SuperNodes on the tiny model, one round, bytes read at the wire by the recording proxies.
 */
class FlowerWireBenchTest {
    @TempDir
    Path dir;

    @Test
    void measuresWhatEachNodeExchangesAtTheWire() throws Exception {
        Path model = TinyFederation.saveModel(dir.resolve("model"));
        int rc = FedbiotCommand.newCommandLine().execute("bench", "flower-wire", "--model-dir", model.toString(),
                "--train", TinyFederation.resource("train.jsonl").toString(), "--public",
                TinyFederation.resource("public.jsonl").toString(), "--nodes", "2", "--rounds", "1", "--k", "2",
                "--beta", "0.5", "--threads", "1", "--out", dir.toString());
        assertThat(rc).isZero();
        JsonNode root = new ObjectMapper().readTree(dir.resolve("flower-wire.json").toFile());
        assertThat(root.get("rounds_per_node")).hasSize(2);
        for (JsonNode r : root.get("rounds_per_node")) {
            long payloadDown = r.get("payload_bytes_down").asLong();
            // the tiny model's LoRA, float32: adapter (K = 2 layers) plus emulator, r 8 on q and v of width 32
            assertThat(payloadDown).isPositive();
            assertThat(r.get("payload_bytes_up").asLong()).isPositive().isLessThan(payloadDown);
            // Flower's records carry the payload plus names, shapes and the round's ConfigRecord
            assertThat(r.get("wire_object_bytes_down").asLong()).isGreaterThan(payloadDown);
        }
        for (JsonNode t : root.get("node_totals")) {
            assertThat(t.get("all_fleet_body_bytes").asLong()).isGreaterThan(t.get("payload_bytes").asLong() / 2);
            assertThat(t.get("rpcs").asInt()).isGreaterThan(4);
        }
    }
}
