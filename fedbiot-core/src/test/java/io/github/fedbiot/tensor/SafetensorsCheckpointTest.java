/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    private final NamedTensors part1 = NamedTensors.builder()
            .add("model.embed_tokens.weight", new Tensor(new int[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .add("model.layers.0.self_attn.q_proj.weight", new Tensor(new int[] {2, 2}, new float[] {0.5f, -1, 2, 3}))
            .build();
    private final NamedTensors part2 = NamedTensors.builder()
            .add("model.layers.1.self_attn.q_proj.weight", new Tensor(new int[] {2, 2}, new float[] {9, 8, 7, 6}))
            .add("model.norm.weight", new Tensor(new int[] {2}, new float[] {1, 1}))
            .build();

    @BeforeEach
    void writeShards() {
        SafetensorsWriter.write(dir.resolve(SHARD1), part1, Map.of("format", "pt"));
        SafetensorsWriter.write(dir.resolve(SHARD2), part2, Map.of("format", "pt"), DType.BF16);
    }

    /** Writes the index for the given map (name -> shard), as transformers lays it out. */
    private void index(Map<String, String> weightMap) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("metadata").put("total_size", 48);
        ObjectNode m = root.putObject("weight_map");
        weightMap.forEach(m::put);
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE), root.toPrettyString());
    }

    private Map<String, String> correctMap() {
        Map<String, String> m = new LinkedHashMap<>();
        part1.names().forEach(n -> m.put(n, SHARD1));
        part2.names().forEach(n -> m.put(n, SHARD2));
        return m;
    }

    private void assertFails(String... parts) {
        var t = assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir).close()).isInstanceOf(FedbiotException.class);
        for (String p : parts) {
            t.hasMessageContaining(p);
        }
    }

    @Test
    void readsTwoShardsAsOne() throws IOException {
        index(correctMap());
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThat(c.names()).containsExactly("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                    "model.layers.1.self_attn.q_proj.weight", "model.norm.weight");
            assertThat(c.shards()).containsExactly(dir.resolve(SHARD1), dir.resolve(SHARD2));
            assertThat(c.shardOf("model.norm.weight")).isEqualTo(dir.resolve(SHARD2));
            assertThat(c.dtype("model.norm.weight")).isEqualTo(DType.BF16);
            assertThat(c.dtype("model.embed_tokens.weight")).isEqualTo(DType.F32);
            assertThat(c.shape("model.embed_tokens.weight")).containsExactly(4, 2);
            assertThat(c.read("model.layers.1.self_attn.q_proj.weight")).isEqualTo(part2.get(
                    "model.layers.1.self_attn.q_proj.weight"));
            assertThat(c.readAll()).isEqualTo(part1.with(part2));
            assertThat(c.readAll(n -> n.contains(".layers.")).names()).containsExactly(
                    "model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.q_proj.weight");
            assertThat(c.contains("lm_head.weight")).isFalse();
            assertThatThrownBy(() -> c.read("lm_head.weight")).isInstanceOf(FedbiotException.class)
                    .hasMessageContaining("no tensor named 'lm_head.weight'");
            assertThat(c.directory()).isEqualTo(dir);
        }
    }

    @Test
    void readsASingleFileAndPrefersItOverAnIndex() throws IOException {
        SafetensorsWriter.write(dir.resolve(SafetensorsCheckpoint.SINGLE_FILE), part2, Map.of());
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE), "not even JSON");
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThat(c.names()).containsExactlyElementsOf(part2.names());
            assertThat(c.shards()).containsExactly(dir.resolve(SafetensorsCheckpoint.SINGLE_FILE));
            assertThat(c.readAll()).isEqualTo(part2);
        }
    }

    @Test
    void closedCheckpointRefusesReads() throws IOException {
        index(correctMap());
        SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir);
        c.close();
        assertThatThrownBy(() -> c.read("model.norm.weight")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(c::readAll).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsADirectoryWithoutWeights() throws IOException {
        assertFails("holds neither model.safetensors nor model.safetensors.index.json");
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(missing)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining(missing + " does not exist");
    }

    @Test
    void rejectsAMissingShard() throws IOException {
        Map<String, String> m = correctMap();
        m.put("model.norm.weight", "model-00003-of-00003.safetensors");
        index(m);
        assertFails("shard 'model-00003-of-00003.safetensors' of tensor 'model.norm.weight' does not exist");
    }

    @Test
    void rejectsATensorTheShardDoesNotHold() throws IOException {
        Map<String, String> m = correctMap();
        m.put("lm_head.weight", SHARD2);
        index(m);
        assertFails("weight_map puts tensor 'lm_head.weight' in " + SHARD2 + ", which has no such tensor");
    }

    @Test
    void rejectsATensorTheIndexDoesNotList() throws IOException {
        Map<String, String> m = correctMap();
        m.remove("model.norm.weight");
        index(m);
        assertFails("shard " + SHARD2 + " holds tensor 'model.norm.weight', which the weight_map does not list");
    }

    @Test
    void rejectsATensorMappedToTheWrongShard() throws IOException {
        Map<String, String> m = correctMap();
        m.put("model.norm.weight", SHARD1);
        index(m);
        assertFails("weight_map puts tensor 'model.norm.weight' in " + SHARD1 + ", but it is in " + SHARD2);
    }

    @Test
    void rejectsATensorInTwoShards() throws IOException {
        SafetensorsWriter.write(dir.resolve(SHARD2), part2.with(part1.filter("model.embed_tokens.weight"::equals)),
                Map.of());
        index(correctMap());
        assertFails("tensor 'model.embed_tokens.weight' is in both " + SHARD1 + " and " + SHARD2);
    }

    @Test
    void rejectsShardsOutsideTheDirectory() throws IOException {
        Path inner = Files.createDirectories(dir.resolve("inner"));
        SafetensorsWriter.write(inner.resolve("s.safetensors"), part1, Map.of());
        Map<String, String> m = new LinkedHashMap<>();
        part1.names().forEach(n -> m.put(n, "../" + SHARD1));
        ObjectNode root = JSON.createObjectNode();
        ObjectNode wm = root.putObject("weight_map");
        m.forEach(wm::put);
        Files.writeString(inner.resolve(SafetensorsCheckpoint.INDEX_FILE), root.toString());
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(inner)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("shard '../" + SHARD1 + "'").hasMessageContaining("outside the model directory");
        m.replaceAll((k, v) -> dir.resolve(SHARD1).toAbsolutePath().toString());
        wm.removeAll();
        m.forEach(wm::put);
        Files.writeString(inner.resolve(SafetensorsCheckpoint.INDEX_FILE), root.toString());
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(inner)).isInstanceOf(FedbiotException.class)
                .hasMessageContaining("outside the model directory");
    }

    @Test
    void rejectsMalformedIndexes() throws IOException {
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
        Files.writeString(index, "{\"weight_map\": {");
        assertFails(index + " is not valid JSON");
        Files.writeString(index, "{\"metadata\": {}}");
        assertFails("'weight_map' must be an object");
        Files.writeString(index, "{\"weight_map\": {}}");
        assertFails("'weight_map' is empty");
        Files.writeString(index, "{\"weight_map\": {\"a\": 3}}");
        assertFails("weight_map entry of tensor 'a' must be a shard file name (found 3)");
        Files.writeString(index, "{\"weight_map\": {\"a\": \"x\", \"a\": \"y\"}}");
        assertFails("Duplicate field 'a'");
        Files.writeString(index, "[]");
        assertFails("expected a JSON object");
    }

    @Test
    void malformedShardIsNamed() throws IOException {
        Files.write(dir.resolve(SHARD2), new byte[] {1, 2});
        index(correctMap());
        assertFails("malformed safetensors file " + dir.resolve(SHARD2));
    }
}
