/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code summary.json} of a completed run: its id, the test scores, the total LoRA traffic and the
 * configuration.
 */
final class RunSummary {
    private RunSummary() {}

    static void write(Path outDir, FedbiotConfig config, String runId, Map<EvaluationTarget, EvalScores> scores,
            List<RoundRecord> records) {
        var json = JsonMapper.builder().build();
        var root = json.createObjectNode();
        root.put("run_id", runId);
        root.put("algorithm", config.algorithm().id());
        root.put("rounds", config.federation().rounds());
        root.put("seed", config.seed());
        var s = root.putObject("test");
        scores.forEach((t, v) -> {
            var o = s.putObject(t.id());
            putNumber(o, "loss", v.loss());
            putNumber(o, "perplexity", v.perplexity());
            putNumber(o, "exact_match", v.exactMatch());
            o.put("tokens", v.tokens());
            o.put("generated", v.generated());
        });
        long down = 0;
        long up = 0;
        for (RoundRecord r : records) {
            down += r.traffic().downPerClient() * r.clients().sampled();
            up += r.traffic().upPerClient() * r.clients().completed();
        }
        root.put("bytes_down_total", down);
        root.put("bytes_up_total", up);
        root.set("config", json.valueToTree(RunCheckpoints.fingerprint(config)));
        try {
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
            AtomicFile.write(outDir.resolve(RunDirectory.SUMMARY), out -> out.write(bytes));
        } catch (IOException e) {
            throw new FedbiotException("cannot write summary.json: " + e.getMessage(), e);
        }
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }
}
