/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.metrics.RoundRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against a set of bad models and bad options: a user error is exit code 2 and one line on
 * standard error, without a stack trace or an exception's class name; {@code --debug} adds the trace.
 */
class CliBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    private static Path good;
    private static final Map<String, Path> BAD = new LinkedHashMap<>();

    @BeforeAll
    static void writeModels() throws IOException {
        good = TinyFederation.saveModel(tmp.resolve("good"));
        BAD.put("missing directory", tmp.resolve("absent"));
        BAD.put("empty directory", Files.createDirectories(tmp.resolve("empty")));
        bad("truncated safetensors", d -> {
            Path f = d.resolve("model.safetensors");
            byte[] b = read(f);
            write(f, Arrays.copyOf(b, b.length / 2));
        });
        bad("bad config.json", d -> write(d.resolve("config.json"), "{\"model_type\": \"llama\", ".getBytes(
                StandardCharsets.UTF_8)));
        bad("wrong shapes", d -> config(d, c -> c.put("intermediate_size", 48)));
        bad("fewer layers in config.json", d -> config(d, c -> c.put("num_hidden_layers", 4)));
        bad("eos outside the vocabulary", d -> config(d, c -> c.put("eos_token_id", 500)));
        bad("NaN weight", d -> setFloat(d.resolve("model.safetensors"), "model.layers.3.mlp.up_proj.weight",
                Float.NaN));
        bad("bad tokenizer.json", d -> write(d.resolve("tokenizer.json"), "{\"model\":".getBytes(
                StandardCharsets.UTF_8)));
        bad("missing tokenizer", d -> {
            try {
                Files.delete(d.resolve("tokenizer.json"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** A copy of the good model, changed. */
    private static void bad(String name, Consumer<Path> change) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("bad-" + BAD.size()));
        try (var files = Files.list(good)) {
            for (Path f : files.toList()) {
                Files.copy(f, d.resolve(f.getFileName()));
            }
        }
        change.accept(d);
        BAD.put(name, d);
    }

    private static void config(Path d, Consumer<ObjectNode> edit) {
        try {
            ObjectNode c = (ObjectNode) JSON.readTree(d.resolve("config.json").toFile());
            edit.accept(c);
            Files.writeString(d.resolve("config.json"), JSON.writeValueAsString(c));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Overwrites the first value of a float32 tensor of a safetensors file. */
    private static void setFloat(Path file, String tensor, float value) {
        byte[] b = read(file);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) bb.getLong(0);
        try {
            JsonNode header = JSON.readTree(new String(b, 8, headerLength, StandardCharsets.UTF_8));
            bb.putFloat(8 + headerLength + header.get(tensor).get("data_offsets").get(0).asInt(), value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        write(file, b);
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void write(Path f, byte[] b) {
        try {
            Files.write(f, b);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The command lines of every command that loads a model. */
    private static List<String[]> commands(Path model) throws IOException {
        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, TinyFederation.yaml(model, "fedbiot", 1));
        String m = model.toString();
        return List.of(new String[] {"info", "--model", m},
                new String[] {"generate", "--model", m, "--prompt", "what is 2 + 2"},
                new String[] {"simulate", "--config", config.toString(), "--out", tmp.resolve("out").toString()},
                new String[] {"export", "--model", m, "--adapter", tmp.toString(), "--peft",
                    tmp.resolve("peft").toString()});
    }

    /** Asserts exit code 2 and one line starting with the command's name, without a trace or class name. */
    private static void assertOneLineUserError(CliErrorsTest.Result r, String what, String command) {
        assertThat(r.code()).as(what + ": " + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(what).hasSize(1);
        assertThat(r.err()).as(what).startsWith(command + ": ").doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("Error:");
    }

    @Test
    void everyCommandRefusesEveryBadModelInOneLine() throws IOException {
        for (Map.Entry<String, Path> bad : BAD.entrySet()) {
            for (String[] c : commands(bad.getValue())) {
                String what = bad.getKey() + ", " + String.join(" ", c);
                CliErrorsTest.Result r = CliErrorsTest.fedbiot(c);
                if (bad.getKey().equals("missing tokenizer") && c[0].equals("info")) {
                    assertThat(r.code()).as(what + ": " + r.err()).isZero(); // info reports "tokenizer: none"
                    continue;
                }
                assertOneLineUserError(r, what, c[0]);
            }
        }
    }

    @Test
    void theMessagesSayWhatIsWrong() {
        assertThat(CliErrorsTest.fedbiot("info", "--model", BAD.get("NaN weight").toString()).err())
                .contains("tensor model.layers.3.mlp.up_proj.weight has 1 NaN/Inf value");
        assertThat(CliErrorsTest.fedbiot("info", "--model", BAD.get("fewer layers in config.json").toString()).err())
                .contains("num_hidden_layers is 4 but the weights hold 6 decoder layers");
        assertThat(CliErrorsTest.fedbiot("info", "--model", BAD.get("eos outside the vocabulary").toString()).err())
                .contains("'eos_token_id' 500 is outside the vocabulary (vocab_size 128)");
    }

    @Test
    void debugShowsTheTrace() {
        CliErrorsTest.Result r = CliErrorsTest.fedbiot("generate", "--debug", "--model",
                BAD.get("NaN weight").toString(), "--prompt", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("NaN/Inf value").contains("\tat io.github.fedbiot");
    }

    @Test
    void badOptionsAndConfigurationsAreOneLineToo() throws IOException {
        String m = good.toString();
        Path config = tmp.resolve("options.yaml");
        String yaml = TinyFederation.yaml(good, "fedbiot", 1);
        List<String[]> lines = new ArrayList<>(List.of(
                new String[] {"generate", "--model", m, "--prompt", "x", "--max-new-tokens", "-1"},
                new String[] {"generate", "--model", m, "--prompt", "x", "--top-p", "2"},
                new String[] {"generate", "--model", m, "--prompt", "x", "--temperature", "-1"},
                new String[] {"generate", "--model", m, "--prompt", "x", "--max-new-tokens", "many"},
                new String[] {"generate", "--model", m, "--prompt", "x", "--adapter", tmp.resolve("none").toString()},
                new String[] {"simulate", "--model", m, "--rounds", "0", "--out", tmp.resolve("o").toString()},
                new String[] {"simulate", "--model", m, "--algorithm", "fedsgd", "--out", tmp.resolve("o").toString()},
                new String[] {"simulate", "--config", tmp.resolve("no.yaml").toString(), "--out", tmp.toString()},
                new String[] {"simulate", "--config", tmp.toString(), "--out", tmp.toString()},
                new String[] {"export", "--model", m, "--adapter", tmp.toString()},
                new String[] {"info", "--model"}));
        for (String[] key : new String[][] {
            {"  batch_size: 2\n  grad_accum: 2", "  batch_size: 2147483647\n  grad_accum: 2"},
            {"  max_length: 96", "  max_length: 300"},
        }) {
            assertThat(yaml).contains(key[0]);
            Path c = Files.writeString(tmp.resolve("options-" + lines.size() + ".yaml"), yaml.replaceFirst(key[0],
                    key[1]));
            lines.add(new String[] {"simulate", "--config", c.toString(), "--out", tmp.resolve("o").toString()});
        }
        for (String[] c : lines) {
            CliErrorsTest.Result r = CliErrorsTest.fedbiot(c);
            assertOneLineUserError(r, String.join(" ", c), c[0]);
        }
        Files.writeString(config, yaml.replaceFirst("  batch_size: 2\n", "  batch_size: 2147483647\n"));
        assertThat(CliErrorsTest.fedbiot("simulate", "--config", config.toString(), "--out",
                tmp.resolve("o").toString()).err())
                .contains("client.batch_size: 2147483647 examples");
    }

    @Test
    void aGenerationOptionIsNamedAsTyped() {
        assertThat(CliErrorsTest.fedbiot("generate", "--model", good.toString(), "--prompt", "x", "--top-p", "2")
                .err().strip()).isEqualTo("generate: --top-p: must be in (0, 1] (found 2.0) (see fedbiot generate --help)");
    }

    @Test
    void aFailedPngWriteIsOneSentence() throws IOException {
        List<RoundRecord> none = List.of();
        Path dir = Files.createDirectories(tmp.resolve("png").resolve("curves.png").resolve("inside"));
        assertThatThrownBy(() -> CurvePlotter.write(dir.getParent(), none, "t")).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("cannot write " + dir.getParent()).hasMessageNotContaining("Exception");
        Path file = Files.writeString(tmp.resolve("png").resolve("a-file"), "x");
        assertThatThrownBy(() -> CurvePlotter.write(file.resolve("curves.png"), none, "t"))
                .hasMessageContaining("cannot write " + file.resolve("curves.png")).hasMessageContaining("a-file")
                .hasMessageNotContaining("Exception");
    }
}
