/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.config.ClientConfig;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.metrics.AlignmentStats;
import io.github.fedbiot.metrics.HeldOutScores;
import io.github.fedbiot.metrics.Participation;
import io.github.fedbiot.metrics.RoundCost;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.metrics.Traffic;
import io.github.fedbiot.metrics.TrainingStats;
import io.github.fedbiot.tensor.AtomicFile;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    private static RoundRecord record(int round, double loss) {
        return new RoundRecord(round, new Participation(3, 3, 0, 0, 0), new TrainingStats(30, loss, 0.01, 0),
                new AlignmentStats(10, 0.5, Double.NaN, 0), new HeldOutScores(1.5, 4.48, Double.NaN),
                new HeldOutScores(1.6, 4.9, 0.25), new Traffic(4096, 1024), new RoundCost(1.25, 1 << 20, -1));
    }

    private static RoundCheckpoint checkpoint(int round, float value, FedbiotConfig config) {
        NamedTensors adapter = NamedTensors.builder()
                .add("model.layers.3.self_attn.q_proj.lora_A.weight", new Tensor(new int[] {2, 3},
                        new float[] {value, 1, 2, 3, 4, Float.MIN_VALUE}))
                .add("model.layers.3.self_attn.q_proj.lora_B.weight", Tensor.zeros(3, 2)).build();
        NamedTensors emulator = NamedTensors.builder()
                .add("model.layers.0.self_attn.q_proj.lora_A.weight", new Tensor(new int[] {1, 2}, new float[] {5, -6}))
                .build();
        return new RoundCheckpoint(round, adapter, emulator, 17, Map.of("client-00", 40L, "client-01", 50L),
                Map.of("root", 42L), List.of(record(0, Double.NaN), record(1, 2.5)),
                FederatedSimulation.fingerprint(config));
    }

    @Test
    void roundTripKeepsEverything(@TempDir Path dir) {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        RoundCheckpoint c = checkpoint(1, 0.5f, FedbiotConfig.DEFAULT);
        CheckpointStore.write(f, c);
        RoundCheckpoint back = CheckpointStore.read(f);
        assertThat(back.round()).isEqualTo(1);
        assertThat(back.adapterLora()).isEqualTo(c.adapterLora());
        assertThat(back.emulatorLora()).isEqualTo(c.emulatorLora());
        assertThat(back.publicPosition()).isEqualTo(17);
        assertThat(back.clientPositions()).isEqualTo(c.clientPositions());
        assertThat(back.seeds()).isEqualTo(c.seeds());
        assertThat(back.records()).isEqualTo(c.records());
        assertThat(back.config()).isEqualTo(c.config());
    }

    @Test
    void rewritingReplacesAtomicallyAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        CheckpointStore.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT));
        CheckpointStore.write(f, checkpoint(2, 0.7f, FedbiotConfig.DEFAULT));
        assertThat(CheckpointStore.read(f).round()).isEqualTo(2);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CheckpointStore.FILE_NAME);
        }
        // a write that fails half-way (as a crash would) leaves the previous checkpoint readable
        assertThatThrownBy(() -> AtomicFile.write(f, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class);
        assertThat(CheckpointStore.read(f).round()).isEqualTo(2);
    }

    @Test
    void truncatedFileIsReportedAsCorrupt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        CheckpointStore.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> CheckpointStore.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is corrupt").hasMessageContaining(f.toString());
    }

    @Test
    void flippedTensorByteFailsTheChecksum(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        CheckpointStore.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT));
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 2] ^= 0x40;
        Files.write(f, bytes);
        assertThatThrownBy(() -> CheckpointStore.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void garbageAndMissingFilesAreReported(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("junk.safetensors");
        Files.writeString(f, "this is not a checkpoint at all");
        assertThatThrownBy(() -> CheckpointStore.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("corrupt");
        assertThatThrownBy(() -> CheckpointStore.read(dir.resolve("none"))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no checkpoint");
    }

    @Test
    void otherConfigurationIsRefusedNamingTheKeys(@TempDir Path dir) {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        CheckpointStore.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT));
        RoundCheckpoint c = CheckpointStore.read(f);
        CheckpointStore.requireSameConfig(c, FederatedSimulation.fingerprint(FedbiotConfig.DEFAULT.withRounds(99)), f);
        FedbiotConfig other = new FedbiotConfig(42, FedbiotConfig.DEFAULT.algorithm(), FedbiotConfig.DEFAULT.model(),
                FedbiotConfig.DEFAULT.data(), FedbiotConfig.DEFAULT.plan(), FedbiotConfig.DEFAULT.lora(),
                FedbiotConfig.DEFAULT.optimizer(), new ClientConfig(7, 5, 2, 1.0, true), FedbiotConfig.DEFAULT.server(),
                FedbiotConfig.DEFAULT.federation(), FedbiotConfig.DEFAULT.eval()).withSeed(1);
        assertThatThrownBy(() -> CheckpointStore.requireSameConfig(c, FederatedSimulation.fingerprint(other), f))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("client.local_steps (checkpoint: 30, now: 7)")
                .hasMessageContaining("seed (checkpoint: 42, now: 1)")
                .hasMessageNotContaining("lora.rank");
    }
}
