/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.fake;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.runtime.FederatedDataset;
import java.util.ArrayList;
import java.util.List;

/** A small federation for the {@link FakeModel}: 3 clients of 12 examples each, 8 public examples. */
public final class FakeFederation {
    private FakeFederation() {}

    /**
     * Returns the configuration of a run on the fake model.
     *
     * @param algorithm the algorithm id
     * @param rounds the rounds
     * @param federationExtra further lines of the {@code federation} section (indented by two spaces)
     * @return the configuration
     */
    public static FedbiotConfig config(String algorithm, int rounds, String federationExtra) {
        return FedbiotConfigReader.parse("""
                seed: 7
                algorithm: %s
                data:
                  partition: category
                  validation_fraction: 0.2
                  test_fraction: 0.2
                  max_length: 512
                plan:
                  adapter_layers: 1
                  drop_rate: 0.5
                  baseline_pad: 1
                lora:
                  rank: 2
                  alpha: 4
                optimizer:
                  lr: 0.01
                client:
                  local_steps: 2
                  batch_size: 2
                  grad_accum: 2
                server:
                  align_steps: 2
                  pre_align_rounds: 2
                  batch_size: 2
                  grad_accum: 1
                federation:
                  rounds: %d
                %s
                eval:
                  max_examples: 2
                  generate_examples: 1
                  max_new_tokens: 4
                  batch_size: 2
                """.formatted(algorithm, rounds, federationExtra), true);
    }

    /**
     * Returns the federation's data, divided by category as the configuration asks.
     *
     * @param config the configuration
     * @return 3 clients and the public examples
     */
    public static FederatedDataset data(FedbiotConfig config) {
        List<InstructionExample> train = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            train.add(new InstructionExample("Add " + i + " and " + (i % 5), "", "#### " + (i + i % 5),
                    "c" + i % 3));
        }
        List<InstructionExample> pub = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pub.add(new InstructionExample("Say " + i, "", "ok " + i, "public"));
        }
        return FederatedDataset.build(config, train, List.of(), pub);
    }
}
