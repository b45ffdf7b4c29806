/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.config.FedbiotConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunInputsTest {
    @TempDir
    Path dir;
    Path model;
    Path train;
    Path ckpt;
    FedbiotConfig config;

    @BeforeEach
    void inputs() throws IOException {
        model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{\"num_hidden_layers\": 2}");
        Files.write(model.resolve("model.safetensors"), new byte[4096]);
        Files.writeString(model.resolve(".cache-marker"), "hidden files are not inputs");
        train = Files.writeString(dir.resolve("train.jsonl"), "{\"instruction\":\"a\",\"output\":\"b\"}\n");
        ckpt = dir.resolve("out").resolve(CheckpointStore.FILE_NAME);
        config = FedbiotConfig.DEFAULT.withModelDir(model.toString()).withData(FedbiotConfig.DEFAULT.data().toBuilder()
                .optTrain(train.toString()).optPublicData("classpath:fedbiot/runtime/none.jsonl").build());
    }

    @Test
    void recordsModelFilesAndDataByDigest() {
        config = config.withData(config.data().toBuilder().optPublicData("").build());
        RunInputs in = RunInputs.of(config);
        assertThat(in.files()).extracting(RunInputs.InputFile::role, f -> Path.of(f.path()).getFileName().toString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("model", "config.json"),
                        org.assertj.core.groups.Tuple.tuple("model", "model.safetensors"),
                        org.assertj.core.groups.Tuple.tuple("data.train", "train.jsonl"));
        assertThat(in.files()).allSatisfy(f -> assertThat(f.sha256()).hasSize(64));
        assertThat(RunInputs.fromJson(in.toJson())).isEqualTo(in);
        in.requireUnchanged(ckpt);
    }

    @Test
    void sameSizeEditOfADataFileIsRefusedNamingIt() throws IOException {
        config = config.withData(config.data().toBuilder().optPublicData("").build());
        RunInputs in = RunInputs.of(config);
        FileTime before = Files.getLastModifiedTime(train);
        Files.writeString(train, Files.readString(train).replace("\"b\"", "\"c\""));
        Files.setLastModifiedTime(train, before); // as cp -p or a restored backup would leave it
        assertThatThrownBy(() -> in.requireUnchanged(ckpt)).isInstanceOf(CheckpointException.class)
                .hasMessage("cannot resume from " + ckpt + ": data.train file " + train + " changed since the run "
                        + "started (same size, but its SHA-256 differs); restore it, or start a fresh run (another "
                        + "--out, or --overwrite)");
    }

    @Test
    void changedOrMissingModelFilesAreRefused() throws IOException {
        config = config.withData(config.data().toBuilder().optPublicData("").build());
        RunInputs in = RunInputs.of(config);
        Files.writeString(model.resolve("README.md"), "files added later are not inputs");
        in.requireUnchanged(ckpt);
        Path weights = model.resolve("model.safetensors");
        byte[] w = Files.readAllBytes(weights);
        w[100] = 1;
        Files.write(weights, w);
        assertThatThrownBy(() -> in.requireUnchanged(ckpt)).hasMessageContaining("model file " + weights)
                .hasMessageContaining("its SHA-256 differs");
        Files.delete(weights);
        assertThatThrownBy(() -> in.requireUnchanged(ckpt)).hasMessageContaining("model file " + weights)
                .hasMessageContaining("it no longer exists");
    }

    @Test
    void largeModelFilesAreRecognisedBySizeAndTime() throws IOException {
        config = config.withData(config.data().toBuilder().optPublicData("").build());
        Path big = model.resolve("model-00001-of-00002.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(RunInputs.FULL_DIGEST_LIMIT + 1); // sparse: no disk, no time
        }
        RunInputs in = RunInputs.of(config);
        assertThat(in.files()).filteredOn(f -> f.path().equals(big.toString())).singleElement()
                .satisfies(f -> assertThat(f.sha256()).isNull());
        Files.setLastModifiedTime(big, FileTime.fromMillis(Files.getLastModifiedTime(big).toMillis() + 5000));
        assertThatThrownBy(() -> in.requireUnchanged(ckpt)).hasMessageContaining("model file " + big)
                .hasMessageContaining("modified since");
    }

    @Test
    void classPathDataIsDigestedToo() {
        assertThatThrownBy(() -> RunInputs.of(config)).hasMessageContaining("no class-path resource "
                + "fedbiot/runtime/none.jsonl (data.public)");
        config = config.withData(config.data().toBuilder().optPublicData("classpath:gguf/tiny-llama.gguf").build());
        assertThat(RunInputs.of(config).files()).filteredOn(f -> f.role().equals("data.public")).singleElement()
                .satisfies(f -> assertThat(f.sha256()).hasSize(64));
    }
}
