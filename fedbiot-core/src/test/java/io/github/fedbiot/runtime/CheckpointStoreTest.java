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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
                FederatedSimulation.fingerprint(config), "3f1c1a52-8f7e-4a39-9b0f-0c6d3b1e2a10",
                new RunInputs(List.of(new RunInputs.InputFile("data.train", "/data/train.jsonl", 120, 1_700_000_000_000L,
                        "ab".repeat(32)), new RunInputs.InputFile("model", "/m/model.safetensors", 1L << 30, 5, null))));
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
        assertThat(back.runId()).isEqualTo(c.runId());
        assertThat(back.inputs()).isEqualTo(c.inputs());
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
    void flippedTensorByteFailsTheDigest(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        CheckpointStore.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT));
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 2] ^= 0x40;
        Files.write(f, bytes);
        assertThatThrownBy(() -> CheckpointStore.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessage("checkpoint " + f + " is corrupt: its SHA-256 does not match its content (it was changed "
                        + "or damaged after it was written)");
    }

    /** Every byte of the file, header and state record included, is covered: each flip is reported as damage. */
    @Test
    void everySingleByteEditIsReportedAsCorrupt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        RoundCheckpoint c = checkpoint(1, 0.5f, FedbiotConfig.DEFAULT);
        // a short configuration keeps the file (and the test) small; every kind of field is still in it
        CheckpointStore.write(f, new RoundCheckpoint(c.round(), c.adapterLora(), c.emulatorLora(), c.publicPosition(),
                c.clientPositions(), c.seeds(), c.records().subList(0, 1), Map.of("seed", "42"), c.runId(), c.inputs()));
        byte[] good = Files.readAllBytes(f);
        Path edited = Files.write(dir.resolve("edited.safetensors"), good);
        // one byte rewritten in place, read, and put back: rewriting the whole file each time is the slow part
        try (FileChannel ch = FileChannel.open(edited,
                StandardOpenOption.WRITE)) {
            for (int i = 0; i < good.length; i++) {
                // the lowest bit turns a digit, letter or quote into another; the highest one makes invalid UTF-8
                int mask = i % 2 == 0 ? 0x01 : 0x80;
                ch.write(ByteBuffer.wrap(new byte[] {(byte) (good[i] ^ mask)}), i);
                int at = i;
                assertThatThrownBy(() -> CheckpointStore.read(edited)).as("byte %d ^ 0x%x", at, mask)
                        .isInstanceOf(CheckpointException.class)
                        .hasMessageStartingWith("checkpoint " + edited + " is corrupt: ");
                ch.write(ByteBuffer.wrap(new byte[] {good[i]}), i);
            }
        }
        assertThat(CheckpointStore.read(edited).round()).isEqualTo(1);
    }

    /** The edits the issue found accepted: the round number and a client's data position, at the same length. */
    @Test
    void sameLengthEditsOfTheStateRecordAreRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        CheckpointStore.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT));
        String good = Files.readString(f, StandardCharsets.ISO_8859_1);
        for (String[] edit : new String[][] {{"\\\"round\\\":1,", "\\\"round\\\":2,"},
                {"\\\"client-00\\\":40", "\\\"client-00\\\":10"}, {"\\\"root\\\":42", "\\\"root\\\":43"},
                {"/data/train.jsonl", "/data/trbin.jsonl"}}) {
            assertThat(good).contains(edit[0]);
            Files.writeString(f, good.replace(edit[0], edit[1]), StandardCharsets.ISO_8859_1);
            assertThatThrownBy(() -> CheckpointStore.read(f)).as(edit[1]).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("is corrupt: its SHA-256 does not match");
        }
    }

    @Test
    void checkpointOfTheOlderFormatIsRefusedSayingSo(@TempDir Path dir) {
        Path f = dir.resolve(CheckpointStore.FILE_NAME);
        io.github.fedbiot.tensor.SafetensorsWriter.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT).adapterLora(),
                Map.of("format", "fedbiot-checkpoint/1", "state", "{\"round\":1}", "crc32", "12345"));
        assertThatThrownBy(() -> CheckpointStore.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("has the format fedbiot-checkpoint/1 of an older fedbiot")
                .hasMessageContaining("fedbiot-checkpoint/2");
        io.github.fedbiot.tensor.SafetensorsWriter.write(f, checkpoint(1, 0.5f, FedbiotConfig.DEFAULT).adapterLora(),
                Map.of());
        assertThatThrownBy(() -> CheckpointStore.read(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is not a fedbiot checkpoint");
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
