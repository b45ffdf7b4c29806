/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import io.github.fedbiot.data.DatasetFormat;
import io.github.fedbiot.engine.OptimizerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FedbiotConfigReaderTest {

    private static final String YAML = """
            seed: 7
            algorithm: fedot
            model:
              dir: models/tiny
            data:
              train: train.jsonl
              format: gsm8k
              partition: dirichlet
              clients: 4
              dirichlet_alpha: 0.3
            plan:
              adapter_layers: 1
              drop_rate: 0.5
            lora:
              rank: 4
              alpha: 8
              targets: [q_proj]
            client:
              local_steps: 3
              proximal_weight: 0.5
            server:
              kl_weight: 0.0
              fedot_distill: true
            federation:
              rounds: 2
              sample_count: 2
            """;

    @Test
    void proximalWeightNotSetGivesFedbiotItsDefaultAndTheBaselinesNone() {
        ClientConfig unset = FedbiotConfigReader.parse("client: {local_steps: 3}", true).client();
        assertThat(unset.proximalWeight()).isNull();
        assertThat(unset.proximalWeightFor(Algorithm.FEDBIOT)).isEqualTo(1.0);
        for (Algorithm a : new Algorithm[] {Algorithm.FEDOT, Algorithm.OFFSITE, Algorithm.FEDAVG_FULL}) {
            assertThat(unset.proximalWeightFor(a)).as(a.id()).isZero();
        }
        ClientConfig set = FedbiotConfigReader.parse("client: {proximal_weight: 0.25}", true).client();
        for (Algorithm a : Algorithm.values()) {
            assertThat(set.proximalWeightFor(a)).as(a.id()).isEqualTo(0.25);
        }
        // "not set" survives a round trip through the JSON the run records
        FedbiotConfig back = FedbiotConfigReader.parse(FedbiotConfigReader.toJson(FedbiotConfig.DEFAULT), false);
        assertThat(back.client().proximalWeight()).isNull();
        assertThat(FedbiotConfigReader.parse("server: {pre_align_fresh_optimizer: false}", true).server()
                .preAlignBlockSteps()).isEqualTo(FedbiotConfig.DEFAULT.server().preAlignSteps());
        assertThat(FedbiotConfig.DEFAULT.server().preAlignBlockSteps())
                .isEqualTo(FedbiotConfig.DEFAULT.server().alignSteps());
        assertThatThrownBy(() -> FedbiotConfigReader.parse("client: {proximal_weight: -1}", true))
                .hasMessageContaining("client.proximal_weight");
    }

    @Test
    void readsYamlAndKeepsDefaultsForMissingKeys() {
        FedbiotConfig c = FedbiotConfigReader.parse(YAML, true);
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.algorithm()).isEqualTo(Algorithm.FEDOT);
        assertThat(c.data().format()).isEqualTo(DatasetFormat.GSM8K);
        assertThat(c.data().partition()).isEqualTo(PartitionScheme.DIRICHLET);
        assertThat(c.data().clients()).isEqualTo(4);
        assertThat(c.data().dirichletAlpha()).isEqualTo(0.3);
        assertThat(c.data().maxLength()).isEqualTo(DataConfig.DEFAULT.maxLength());
        assertThat(c.plan().adapterLayers()).isEqualTo(1);
        assertThat(c.lora().targets()).containsExactly("q_proj");
        assertThat(c.lora().dropout()).isEqualTo(0.05);
        assertThat(c.client().localSteps()).isEqualTo(3);
        assertThat(c.client().gradAccum()).isEqualTo(2);
        assertThat(c.server().fedotDistill()).isTrue();
        assertThat(c.server().alignSteps()).isEqualTo(10);
        assertThat(c.federation().sampleCount()).isEqualTo(2);
        assertThat(c.optimizer()).isEqualTo(OptimizerConfig.DEFAULT);
        assertThat(c.eval()).isEqualTo(EvalConfig.DEFAULT);
    }

    @Test
    void jsonRoundTripGivesTheSameConfig() {
        FedbiotConfig c = FedbiotConfigReader.parse(YAML, true);
        String json = FedbiotConfigReader.toJson(c);
        assertThat(json).contains("\"local_steps\"").contains("\"public\"").contains("\"fedot\"");
        assertThat(FedbiotConfigReader.parse(json, false)).isEqualTo(c);
    }

    @Test
    void emptyFileIsRefusedAndAnEmptyMappingGivesDefaults() {
        for (String empty : new String[] {"", "  \n\t\n", "---", "---\n", "~", "null", "# only a comment\n"}) {
            assertThatThrownBy(() -> FedbiotConfigReader.parse(empty, true)).as(empty)
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.key()).isEqualTo("config");
                        assertThat(e.getMessage()).contains("is empty");
                    });
        }
        assertThatThrownBy(() -> FedbiotConfigReader.parse("null", false)).hasMessageContaining("is empty");
        assertThat(FedbiotConfigReader.parse("{}", false)).isEqualTo(FedbiotConfig.DEFAULT);
        assertThat(FedbiotConfigReader.parse("{}", true)).isEqualTo(FedbiotConfig.DEFAULT);
    }

    @Test
    void unknownKeyIsNamedWithItsPath() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("client:\n  local_stepz: 3\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("client.local_stepz");
                    assertThat(e.getMessage()).contains("unknown key 'local_stepz'").contains("local_steps");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("{\"colour\": 1}", false))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("colour"));
    }

    @Test
    void badValueTypeIsNamedWithItsPath() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("{\"lora\": {\"rank\": \"eight\"}}", false))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("lora.rank");
                    assertThat(e.getMessage()).contains("eight").contains("integer");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("federation: 3\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("federation"));
        // a fractional value for an integer key is an error, not silently truncated
        assertThatThrownBy(() -> FedbiotConfigReader.parse("lora:\n  rank: 2.5\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("lora.rank"));
    }

    @Test
    void outOfRangeValueIsNamed() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("lora:\n  rank: 0\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("lora.rank"));
        assertThatThrownBy(() -> FedbiotConfigReader.parse("plan:\n  drop_rate: 1.5\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("plan.drop_rate");
                    assertThat(e.getMessage()).contains("1.5");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("{\"federation\": {\"sample_fraction\": 0}}", false))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("federation.sample_fraction"));
    }

    @Test
    void unknownEnumValueIsNamed() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("algorithm: fedsgd\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("algorithm");
                    assertThat(e.getMessage()).contains("fedsgd").contains("fedavg-full");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("data:\n  partition: random\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("data.partition"));
    }

    @Test
    void malformedFileIsReported() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("{\"seed\": ", false))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("config");
                    assertThat(e.getMessage()).contains("malformed JSON");
                });
    }

    @Test
    void readResolvesRelativePathsAgainstTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("run.yml");
        Files.writeString(f, YAML);
        FedbiotConfig c = FedbiotConfigReader.read(f);
        assertThat(c.data().train()).isEqualTo(dir.resolve("train.jsonl").toString());
        assertThat(c.model().dir()).isEqualTo(dir.resolve("models/tiny").toString());
        assertThat(c.data().test()).isEmpty();
        assertThatThrownBy(() -> FedbiotConfigReader.read(dir.resolve("missing.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("file not found");
    }

    @Test
    void duplicateKeysAreRefusedAtEveryDepthWithTheirPosition() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("seed: 1\nseed: 2\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("seed");
                    assertThat(e.getMessage()).contains("appears twice").contains("line 2, column 1");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("data:\n  clients: 2\n  train: a\n  clients: 3\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("data.clients");
                    assertThat(e.getMessage()).contains("line 4, column 3");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("{\"lora\": {\"rank\": 2, \"rank\": 4}}", false))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("lora.rank"));
    }

    @Test
    void wrongScalarTypesAreNotCoerced() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("federation: {rounds: '3'}", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("federation.rounds");
                    assertThat(e.getMessage()).contains("expected an integer, found the text '3'");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("client: {proximal_gradient: 3}", true))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("client.proximal_gradient"));
        assertThatThrownBy(() -> FedbiotConfigReader.parse("data: {train: true}", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("data.train"));
        assertThatThrownBy(() -> FedbiotConfigReader.parse("lora: {targets: q_proj}", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("lora.targets");
                    assertThat(e.getMessage()).contains("expected a list of texts, found the text 'q_proj'");
                });
        // an enum parser's message keeps the key the file used
        assertThatThrownBy(() -> FedbiotConfigReader.parse("data: {public_format: xml}", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("data.public_format");
                    assertThat(e.getMessage()).contains("'xml'").contains("gsm8k");
                });
    }

    @Test
    void yamlAliasesAndSecondDocumentsAreRefused() {
        assertThatThrownBy(() -> FedbiotConfigReader.parse("model: {dir: &d m}\ndata: {train: *d}\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("data.train");
                    assertThat(e.getMessage()).contains("alias");
                });
        assertThatThrownBy(() -> FedbiotConfigReader.parse("seed: 1\n---\nseed: 2\n", true))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("config");
                    assertThat(e.getMessage()).contains("more than one YAML document");
                });
    }

    @Test
    void hugeValuesFailFastWithoutBeingEchoed(@TempDir Path dir) throws Exception {
        String big = "x".repeat(10 << 20);
        for (boolean yaml : new boolean[] {true, false}) {
            long start = System.nanoTime();
            String text = yaml ? "data:\n  train: " + big + "\n" : "{\"data\": {\"train\": \"" + big + "\"}}";
            assertThatThrownBy(() -> FedbiotConfigReader.parse(text, yaml))
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.getMessage()).contains("larger than 1 MiB").hasSizeLessThan(300);
                    });
            assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
        }
        String value = "y".repeat(FedbiotConfigReader.MAX_TEXT_CHARS + 1);
        for (boolean yaml : new boolean[] {true, false}) {
            String text = yaml ? "data:\n  train: " + value + "\n" : "{\"data\": {\"train\": \"" + value + "\"}}";
            assertThatThrownBy(() -> FedbiotConfigReader.parse(text, yaml))
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.key()).isEqualTo(yaml ? "data.train" : "data.train");
                        assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("y".repeat(61));
                    });
        }
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, "data:\n  train: " + big + "\n");
        assertThatThrownBy(() -> FedbiotConfigReader.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("larger than 1 MiB").hasMessageContaining("big.yaml");
    }

    @Test
    void devicesBinaryAndInvalidUtf8AreRefused(@TempDir Path dir) throws Exception {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertThatThrownBy(() -> FedbiotConfigReader.read(zero)).isInstanceOfSatisfying(ConfigException.class,
                    e -> assertThat(e.getMessage()).contains("/dev/zero").contains("NUL byte"));
        }
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "seed: 1\ndata: {train: caf\u00e9}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> FedbiotConfigReader.read(latin1)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.getMessage()).contains("not UTF-8 at line 2").doesNotContain("Input length"));
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "---\n# nothing here\n");
        assertThatThrownBy(() -> FedbiotConfigReader.read(empty)).hasMessageContaining("empty.yaml is empty");
        assertThatThrownBy(() -> FedbiotConfigReader.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void flattenNamesEveryKey() {
        Map<String, String> flat = FedbiotConfigReader.flatten(FedbiotConfig.DEFAULT);
        assertThat(flat).containsEntry("client.local_steps", "30").containsEntry("algorithm", "fedbiot")
                .containsEntry("plan.adapter_layers", "2").containsEntry("data.public", "")
                .containsEntry("server.kl_weight", "0.9").containsKey("lora.targets");
    }
}
