/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.fedbiot.engine.TrainingEngine;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.runtime.FederatedDataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The run provenance a {@link FedBiOTModel} records besides the trainer's and the dataset's: the engine, the
 * sizes of the clients and of the public data, and the per-round metrics, under names that stay fixed for
 * readers of stored provenance.
 */
final class RunProvenance {
    private RunProvenance() {}

    /**
     * Returns the caller's run provenance plus this run's entries.
     *
     * @param given the run provenance passed to {@code train}
     * @param engine the engine that trained
     * @param data the run's clients and public data
     * @param records the metrics of every round
     * @return a new mutable map
     */
    static Map<String, Provenance> of(Map<String, Provenance> given, TrainingEngine engine, FederatedDataset data,
            List<RoundRecord> records) {
        Map<String, Provenance> run = new HashMap<>(given);
        run.put("engine", new StringProvenance("engine", engine.name()));
        run.put("engine-version", new StringProvenance("engine-version", engine.version()));
        run.put("client-sizes", new ListProvenance<>(FederatedSplit.clientSizes(data).stream()
                .map(size -> new IntProvenance("size", size)).toList()));
        run.put("public-size", new IntProvenance("public-size", data.publicExamples().size()));
        run.put("round-client-loss", doubles("loss", records, r -> r.training().loss()));
        run.put("round-align-nl2", doubles("nl2", records, r -> r.alignment().nl2()));
        run.put("round-align-kl", doubles("kl", records, r -> r.alignment().kl()));
        run.put("final-client-loss", new DoubleProvenance("final-client-loss",
                records.get(records.size() - 1).training().loss()));
        return run;
    }

    private static ListProvenance<DoubleProvenance> doubles(String name, List<RoundRecord> records,
            ToDoubleFunction<RoundRecord> metric) {
        return new ListProvenance<>(records.stream().map(r -> new DoubleProvenance(name, metric.applyAsDouble(r)))
                .toList());
    }
}
