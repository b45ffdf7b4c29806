/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.it.faults;

import io.github.fedbiot.cli.TinyFederation;
import java.nio.file.Path;

/** The run the fault harness interrupts: FedBiOT on the tiny model, four rounds, a checkpoint after each. */
final class RunConfigs {
    private RunConfigs() {}

    static String fourRounds(Path model) {
        return """
                seed: 5
                algorithm: fedbiot
                model:
                  dir: %s
                data:
                  train: %s
                  public: %s
                  partition: category
                  validation_fraction: 0.15
                  test_fraction: 0.15
                  max_length: 96
                plan:
                  adapter_layers: 2
                  drop_rate: 0.5
                lora:
                  rank: 4
                  alpha: 8
                  dropout: 0.05
                client:
                  local_steps: 2
                  batch_size: 2
                server:
                  align_steps: 2
                  batch_size: 2
                federation:
                  rounds: 4
                eval:
                  max_examples: 2
                  generate_examples: 0
                  batch_size: 2
                """.formatted(model, TinyFederation.resource("train.jsonl"), TinyFederation.resource("public.jsonl"));
    }
}
