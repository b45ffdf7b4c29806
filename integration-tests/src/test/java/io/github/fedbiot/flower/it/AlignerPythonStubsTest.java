/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.AlignerProto;
import io.github.fedbiot.flower.local.FlowerEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The checked-in Python stubs of the aligner API ({@code python/flower/fedbiot_app/fedbiot_app/aligner_pb2.py})
 * describe the same proto as the Java classes the build generates, and load with the protobuf runtime of the
 * pinned flwr venv. After editing {@code aligner.proto}, run {@code python/flower/tools/gen_aligner_pb2.sh}.
 */
class AlignerPythonStubsTest {

    @Test
    void pythonStubsMatchTheProto() throws Exception {
        Path bin = FlowerEnv.venvBin(FedBiOTOverFlowerTest.VENV, FedBiOTOverFlowerTest.REQUIREMENTS);
        Path app = FlowerEnv.root().resolve("python/flower/fedbiot_app");
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("python").toString(), "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); from fedbiot_app import aligner_pb2; "
                        + "print(aligner_pb2.DESCRIPTOR.serialized_pb.hex())", app.toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        FileDescriptorProto python = FileDescriptorProto.parseFrom(HexFormat.of().parseHex(out));
        FileDescriptorProto java = AlignerProto.getDescriptor().toProto();
        assertThat(python).as("aligner_pb2.py is stale: run python/flower/tools/gen_aligner_pb2.sh").isEqualTo(java);
    }
}
