/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.json.JsonConfigFactory;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.provenance.TrainerProvenance;

class FedBiOTTrainerConfigTest {

    @BeforeAll
    static void json() {
        ConfigurationManager.addFileFormatFactory(new JsonConfigFactory());
    }

    private static FedBiOTTrainer load(String resource, String... overrides) {
        String[] args = new String[4 + overrides.length];
        args[0] = "-c";
        args[1] = Fixtures.resource(resource).toString();
        args[2] = "--@fedbiot.modelPath";
        args[3] = Fixtures.hfModel("llama").toString();
        System.arraycopy(overrides, 0, args, 4, overrides.length);
        ConfigurationManager cm = new ConfigurationManager(args);
        return (FedBiOTTrainer) cm.lookup("fedbiot");
    }

    private static Map<String, Object> config(FedBiOTTrainer t) {
        return ProvenanceUtil.convertToMap(t.getProvenance());
    }

    @Test
    void xmlConfigSetsEveryField() {
        FedBiOTTrainer t = load("fedbiot-trainer.xml");
        Map<String, Object> c = config(t);
        assertThat(c).containsEntry("textKey", "question").containsEntry("promptTemplate", "{text} category:")
                .containsEntry("maxPromptTokens", "40").containsEntry("adapterLayers", "1")
                .containsEntry("dropRate", "0.5").containsEntry("loraRank", "4").containsEntry("loraAlpha", "8.0")
                .containsEntry("rounds", "3").containsEntry("localSteps", "5").containsEntry("batchSize", "8")
                .containsEntry("learningRate", "0.005")
                .containsEntry("mu", "0.01").containsEntry("lambda", "0.5").containsEntry("alignSteps", "2")
                .containsEntry("preAlignRounds", "1").containsEntry("numClients", "3")
                .containsEntry("partitionKey", "source").containsEntry("publicFraction", "0.1")
                .containsEntry("seed", "42");
        assertThat(c.get("loraTargets")).isEqualTo(List.of("q_proj", "v_proj", "o_proj"));
        assertThat(c.get("partitioning").toString()).isEqualTo("CATEGORY");
        assertThat(c.get("evaluationMode").toString()).isEqualTo("ADAP_EMU");
        // 3-layer fixture, K=1, beta=0.5: adapter [2], teacher [0, 1], emulator keeps round(2 * 0.5) = 1 layer.
        assertThat(t.layerPlan().adapterLayers()).containsExactly(2);
        assertThat(t.layerPlan().emulatorLayers()).containsExactly(0);
    }

    @Test
    void jsonConfigEqualsXmlConfig() {
        TrainerProvenance xml = load("fedbiot-trainer.xml").getProvenance();
        TrainerProvenance json = load("fedbiot-trainer.json").getProvenance();
        assertThat(json).isEqualTo(xml);
    }

    @Test
    void docsExamplesLoadAndAgree() {
        Path examples = Path.of(System.getProperty("fedbiot.root"), "docs", "examples");
        String model = Fixtures.hfModel("llama").toString();
        FedBiOTTrainer xml = (FedBiOTTrainer) new ConfigurationManager(new String[] {"-c",
            examples.resolve("fedbiot-trainer.xml").toString(), "--@fedbiot.modelPath", model}).lookup("fedbiot");
        FedBiOTTrainer json = (FedBiOTTrainer) new ConfigurationManager(new String[] {"-c",
            examples.resolve("fedbiot-trainer.json").toString(), "--@fedbiot.modelPath", model}).lookup("fedbiot");
        assertThat(json.getProvenance()).isEqualTo(xml.getProvenance());
        assertThat(config(xml)).containsEntry("partitioning", "CATEGORY")
                .containsEntry("promptTemplate", "Classify the sentiment of this review: {text}");
    }

    @Test
    void defaultsDifferFromTheExampleConfig() {
        // Guards the equality test above against a loader that ignores the file.
        FedBiOTTrainer defaults = new FedBiOTTrainer(Fixtures.hfModel("llama").toString());
        assertThat(defaults.getProvenance()).isNotEqualTo(load("fedbiot-trainer.xml").getProvenance());
        assertThat(config(defaults)).containsEntry("adapterLayers", "2").containsEntry("loraRank", "8");
    }

    @Test
    void provenanceRebuildsTheTrainer() {
        FedBiOTTrainer original = load("fedbiot-trainer.json");
        List<ConfigurationData> data = ProvenanceUtil.extractConfiguration(original.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(data);
        FedBiOTTrainer rebuilt = (FedBiOTTrainer) cm.lookup(data.get(0).getName());
        assertThat(rebuilt).isNotSameAs(original);
        assertThat(rebuilt.getProvenance()).isEqualTo(original.getProvenance());
    }

    private static PropertyException invalid(String field, String value) {
        return assertThrows(PropertyException.class, () -> load("fedbiot-trainer.xml", "--@fedbiot." + field, value));
    }

    @Test
    void rejectsAnAdapterAsDeepAsTheModel() {
        PropertyException e = invalid("adapterLayers", "3");
        assertThat(e.getProperty()).isEqualTo("adapterLayers");
        assertThat(e.getMessage()).contains("adapterLayers").contains("[1, 2]");
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        assertThat(invalid("dropRate", "1.0").getProperty()).isEqualTo("dropRate");
        assertThat(invalid("loraRank", "0").getProperty()).isEqualTo("loraRank");
        assertThat(invalid("loraDropout", "1.5").getProperty()).isEqualTo("loraDropout");
        assertThat(invalid("rounds", "0").getProperty()).isEqualTo("rounds");
        assertThat(invalid("learningRate", "-1").getProperty()).isEqualTo("learningRate");
        assertThat(invalid("mu", "-0.1").getProperty()).isEqualTo("mu");
        assertThat(invalid("publicFraction", "1").getProperty()).isEqualTo("publicFraction");
        assertThat(invalid("maxPromptTokens", "64").getMessage()).contains("maxPromptTokens").contains("[2, 63]");
        assertThat(invalid("promptTemplate", "no placeholder").getProperty()).isEqualTo("promptTemplate");
        assertThat(invalid("numClients", "0").getProperty()).isEqualTo("numClients");
        assertThat(invalid("lambda", "-1").getProperty()).isEqualTo("lambda");
        assertThat(invalid("alignSteps", "-1").getProperty()).isEqualTo("alignSteps");
    }

    @Test
    void rejectsAPartitionKeyThatIidWouldIgnore() {
        PropertyException e = invalid("partitioning", "IID");
        assertThat(e.getProperty()).isEqualTo("partitionKey");
        assertThat(e.getMessage()).contains("CATEGORY and DIRICHLET").contains("'source'");
    }

    @Test
    void rejectsALoraTargetTheArchitectureLacks(@TempDir Path tmp) throws IOException {
        Path xml = tmp.resolve("bad-targets.xml");
        Files.writeString(xml, Files.readString(Fixtures.resource("fedbiot-trainer.xml"))
                .replace("<item>o_proj</item>", "<item>c_attn</item>"));
        PropertyException e = assertThrows(PropertyException.class, () -> new ConfigurationManager(new String[] {
            "-c", xml.toString(), "--@fedbiot.modelPath", Fixtures.hfModel("llama").toString()}).lookup("fedbiot"));
        assertThat(e.getProperty()).isEqualTo("loraTargets");
        assertThat(e.getMessage()).contains("c_attn");
    }

    @Test
    void rejectsAMissingModelDirectory() {
        PropertyException e = assertThrows(PropertyException.class, () -> new FedBiOTTrainer("/nonexistent/model"));
        assertThat(e.getProperty()).isEqualTo("modelPath");
        assertThat(e.getMessage()).contains("has no config.json");
    }
}
