/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsTest {
    @TempDir
    Path dir;

    @Test
    void traceSelfTimeSubtractsNestedEvents() throws Exception {
        // linear [0, 100) contains addmm [10, 70) which contains mul [20, 30); a second thread has one mul
        String trace = "[{\"name\":\"aten::linear\",\"ph\":\"X\",\"ts\":0,\"dur\":100,\"tid\":1},"
                + "{\"name\":\"aten::addmm\",\"ph\":\"X\",\"ts\":10,\"dur\":60,\"tid\":1},"
                + "{\"name\":\"aten::mul\",\"ph\":\"X\",\"ts\":20,\"dur\":10,\"tid\":1},"
                + "{\"name\":\"aten::mul\",\"ph\":\"X\",\"ts\":5,\"dur\":7,\"tid\":2},"
                + "{\"name\":\"meta\",\"ph\":\"M\"}]";
        Path f = dir.resolve("t.json");
        Files.writeString(f, trace);
        JsonNode s = TraceSummary.summarise(f, 10, 0);
        assertEquals(107e-6, s.get("ops_self_seconds").asDouble(), 1e-12);
        assertEquals(107e-6, s.get("top_level_ops_seconds").asDouble(), 1e-12);
        JsonNode top = s.get("top");
        assertEquals("aten::addmm", top.get(0).get("name").asText());
        assertEquals(50e-6, top.get(0).get("self_seconds").asDouble(), 1e-12);
        assertEquals("aten::linear", top.get(1).get("name").asText());
        assertEquals(40e-6, top.get(1).get("self_seconds").asDouble(), 1e-12);
        assertEquals("aten::mul", top.get(2).get("name").asText());
        assertEquals(17e-6, top.get(2).get("self_seconds").asDouble(), 1e-12);
        assertEquals(2, top.get(2).get("calls").asLong());
    }

    @Test
    void flopCountOfATinyModel() {
        // V=10, d=4, 1 layer, 2 heads (hd 2), 1 KV head, MLP 8; LoRA r 1 on q (4->4) and v (4->2); B=1, T=3
        ModelSpec s = ModelSpec.llama(10, 4, 1, 2, 1, 8, 16, false);
        LoraSpec l = new LoraSpec(1, 2, 0, List.of("q_proj", "v_proj"));
        double linearPerToken = 2 * 4 * (2 + 2) * 2 + 2 * 2 * 2 * 4 + 6 * 4 * 8 + 2 * 4 * 10; // 64+32+192+80
        double loraPerToken = 2 * (4 + 4) + 2 * (4 + 2);
        double attnPerToken = 4.0 * 3 * 2 * 2;
        assertEquals(3 * (linearPerToken + loraPerToken + attnPerToken), FlopCount.forward(s, l, 1, 3), 1e-9);
        assertEquals(3 * (2 * linearPerToken + 3 * loraPerToken + 3 * attnPerToken), FlopCount.trainingStep(s, l, 1, 3),
                1e-9);
    }

    @Test
    void leastSquaresLine() {
        double[] f = ScaleBench.fit(List.of(new double[] {2, 5}, new double[] {8, 17}, new double[] {32, 65}));
        assertEquals(1, f[0], 1e-9);
        assertEquals(2, f[1], 1e-9);
    }
}
