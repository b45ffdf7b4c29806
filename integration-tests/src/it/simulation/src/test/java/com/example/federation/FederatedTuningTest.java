package com.example.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.model.PeftAdapter;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.SimulationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FedBiOT simulation of the application's own examples (two categories, one client each) on a tiny model
 * (system property fedbiot.model), then the fine-tuned adapter written in PEFT's format.
 */
class FederatedTuningTest {
    @TempDir
    Path tmp;

    @Test
    void simulatesTwoRoundsAndWritesThePeftAdapter() throws Exception {
        String model = System.getProperty("fedbiot.model");
        FedbiotConfig config = FedbiotConfigReader.parse("""
                seed: 7
                algorithm: fedbiot
                model:
                  dir: %s
                data:
                  partition: category
                  validation_fraction: 0.2
                  test_fraction: 0.2
                  max_length: 64
                plan:
                  adapter_layers: 2
                  drop_rate: 0.5
                lora:
                  rank: 4
                  alpha: 8
                client:
                  local_steps: 1
                  batch_size: 2
                server:
                  align_steps: 1
                  batch_size: 2
                federation:
                  rounds: 2
                eval:
                  max_examples: 2
                  generate_examples: 0
                """.formatted(model), true);

        List<InstructionExample> train = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            train.add(new InstructionExample("Add the numbers.", i + " + " + (i + 1), Integer.toString(2 * i + 1), "add"));
            train.add(new InstructionExample("Name the colour.", "the sky at noon " + i, "blue", "colour"));
        }
        List<InstructionExample> pub = List.of(
                new InstructionExample("Add the numbers.", "20 + 22", "42", "add"),
                new InstructionExample("Name the colour.", "fresh grass", "green", "colour"));
        FederatedDataset data = FederatedDataset.build(config, train, List.of(), pub);
        assertEquals(2, data.clients().size());

        Path out = tmp.resolve("run");
        Path adapter = tmp.resolve("adapter");
        try (BaseModel base = Engines.getDefault().load(Path.of(model))) {
            SimulationResult result = new FederatedSimulation(config, base, data, out).run(false);
            assertTrue(result.completed());
            assertFalse(result.finalScores().isEmpty());
            PeftAdapter.write(adapter, base.spec(), config.lora(), result.adapterLora(), model);
        }
        assertTrue(Files.isRegularFile(adapter.resolve(PeftAdapter.CONFIG_FILE)));
        assertTrue(Files.isRegularFile(adapter.resolve(PeftAdapter.WEIGHTS_FILE)));
        PeftAdapter back = PeftAdapter.read(adapter);
        assertEquals(4, back.lora().rank());
        assertFalse(back.tensors().names().isEmpty());
    }
}
