package com.example.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

// tag::imports[]
import io.github.fedbiot.config.ClientConfig;
import io.github.fedbiot.config.DataConfig;
import io.github.fedbiot.config.EvalConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.PartitionScheme;
import io.github.fedbiot.config.ServerConfig;
import io.github.fedbiot.data.InstructionExample;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.runtime.FederatedDataset;
import io.github.fedbiot.runtime.FederatedSimulation;
import io.github.fedbiot.runtime.SimulationResult;
import java.nio.file.Path;
import java.util.List;
// end::imports[]
import io.github.fedbiot.model.PeftAdapter;
import java.nio.file.Files;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortest program of fedbiot's docs/library.md, as an application that depends on fedbiot the way that page
 * says: a FedBiOT simulation of the application's own examples on a tiny model (system property fedbiot.model),
 * then the PEFT adapter and the merged model written and read back. integration-tests' ConsumerDocsTest checks
 * that the page shows this code and this project's dependencies unchanged.
 */
class FederatedTuningTest {
    @TempDir
    Path tmp;

    // tag::quickstart[]
    static SimulationResult fineTune(Path modelDir, List<InstructionExample> train,
            List<InstructionExample> publicData, Path adapterDir, Path mergedDir) {
        FedbiotConfig config = FedbiotConfig.builder()
                .optRounds(2)
                .optData(DataConfig.builder().optPartition(PartitionScheme.IID).optClients(2)
                        .optMaxLength(48).optPromptTemplate("{instruction} =").build())
                .optClient(new ClientConfig(2, 2, 1, null, true))     // 2 local steps of 2 examples
                .optServer(new ServerConfig(2, 1, 0.9, 2, 1, false))  // 2 alignment steps per round
                .optEval(new EvalConfig(1, 8, 2, 8, 8))
                .build();
        try (BaseModel model = Engines.getDefault().load(modelDir)) {
            FederatedDataset data = FederatedDataset.of(config, train, publicData);
            SimulationResult result = new FederatedSimulation(config, model, data).run();  // in memory
            result.records().forEach(r -> System.out.println(r.round() + ": " + r.training().loss()));
            result.savePeft(adapterDir);    // adapter_config.json + adapter_model.safetensors
            result.saveMerged(mergedDir);   // config.json + model.safetensors + tokenizer files
            return result;
        }
    }
    // end::quickstart[]

    @Test
    void fineTunesTheApplicationsExamplesAndSavesBothExports() throws Exception {
        String[] numbers = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
        List<InstructionExample> train = new ArrayList<>();
        for (int i = 0; i < numbers.length; i++) {
            train.add(new InstructionExample("Add the numbers. " + numbers[i] + " + one", "",
                    numbers[(i + 1) % numbers.length], "add"));
            train.add(new InstructionExample("Name the colour. the sky at noon", "", "blue", "colour"));
        }
        List<InstructionExample> pub = List.of(
                new InstructionExample("Add the numbers. two + two", "", "four", "add"),
                new InstructionExample("Name the colour. fresh grass", "", "green", "colour"));
        Path model = Path.of(System.getProperty("fedbiot.model"));
        Path adapterDir = tmp.resolve("adapter");
        Path mergedDir = tmp.resolve("merged");

        SimulationResult result = fineTune(model, train, pub, adapterDir, mergedDir);

        assertTrue(result.completed());
        assertFalse(result.adapterLora().names().isEmpty());
        assertEquals(3, result.records().size(), "round 0 (the emulator's alignment) and two rounds");
        PeftAdapter adapter = PeftAdapter.read(adapterDir);
        assertEquals(result.adapterLora().names(), adapter.tensors().names());
        assertEquals(0.0, adapter.tensors().maxAbsDiff(result.adapterLora()));
        assertTrue(Files.isRegularFile(mergedDir.resolve("model.safetensors")));
        try (BaseModel merged = Engines.getDefault().load(mergedDir)) {
            assertTrue(merged.hasTokenizer());
        }
    }
}
