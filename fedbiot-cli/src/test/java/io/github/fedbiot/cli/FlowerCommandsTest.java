/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.djl.DjlBaseModel;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.TensorSets;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.EmulatorAlignerGrpc;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.FinishRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.InitialStateReply;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.InitialStateRequest;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.NodeUpdate;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.proto.PreAlignRequest;
import io.github.fedbiot.model.ModelSpec;
import io.github.fedbiot.tensor.NamedTensors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedbiot flower-server} serves the aligner until a ServerApp finishes the federation (here a gRPC client
 * playing the ServerApp's part) and writes the final LoRA; {@code flower-server} and {@code join} reject bad
 * configurations and options with a message naming the problem.
 */
class FlowerCommandsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FedbiotCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path fixture(String dataSection) throws Exception {
        Path model = tmp.resolve("model");
        if (!Files.exists(model)) {
            Path tk = Path.of(getClass().getResource("tokenizer.json").toURI());
            try (DjlBaseModel m = DjlBaseModel.random(ModelSpec.llama(64, 32, 3, 4, 2, 64, 64, true), 1, 0.3, tk)) {
                m.save(model);
            }
            Files.writeString(tmp.resolve("public.jsonl"), """
                    {"instruction": "the cat", "input": "", "output": "sat on the mat"}
                    {"instruction": "a dog", "input": "", "output": "ran fast ."}
                    """);
        }
        Path config = tmp.resolve("server-" + Math.abs(dataSection.hashCode()) + ".yaml");
        Files.writeString(config, """
                model:
                  dir: model
                data:
                  %s
                  max_length: 64
                plan:
                  adapter_layers: 1
                  drop_rate: 0.5
                lora:
                  rank: 2
                  alpha: 4
                server:
                  align_steps: 1
                  pre_align_rounds: 1
                  batch_size: 2
                  grad_accum: 1
                federation:
                  rounds: 2
                """.formatted(dataSection));
        return config;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void flowerServerServesOneFederationAndWritesTheFinalLora() throws Exception {
        Path config = fixture("public: public.jsonl");
        int port = freePort();
        Path out = tmp.resolve("out");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            Future<Run> server = pool.submit(() -> run("flower-server", "--config", config.toString(), "--port",
                    String.valueOf(port), "--output", out.toString(), "--insecure"));
            var stub = EmulatorAlignerGrpc.newBlockingStub(channel).withWaitForReady()
                    .withDeadlineAfter(120, TimeUnit.SECONDS);
            InitialStateReply init = stub.getInitialState(InitialStateRequest.getDefaultInstance());
            assertThat(init.getRounds()).isEqualTo(2);
            assertThat(stub.preAlign(PreAlignRequest.getDefaultInstance()).getSteps()).isEqualTo(1);
            assertThat(server.isDone()).as("still serving before Finish").isFalse();
            // an adapter some round changed (the aligner refuses to write the untouched initial one)
            NamedTensors trained = NamedTensors.weightedSum(java.util.List.of(
                    TensorSets.fromProto(init.getAdapterLora(), "adapter")), new double[] {2.0});
            stub.finish(FinishRequest.newBuilder().setRounds(2).addUpdates(NodeUpdate.newBuilder().setNodeId("1")
                    .setNumExamples(1).setAdapterLora(TensorSets.toProto(trained))).setMinAccepted(1).build());
            Run r = server.get(60, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("fedbiot aligner listening on 127.0.0.1:" + port)
                    .contains("federation finished");
            assertThat(out.resolve("adapter_lora.safetensors")).isRegularFile();
            assertThat(out.resolve("emulator_lora.safetensors")).isRegularFile();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
    }

    @Test
    void badConfigurationsAndOptionsAreNamed() throws Exception {
        Run noPublic = run("flower-server", "--config", fixture("train: public.jsonl").toString(), "--port", "0",
                "--insecure");
        assertThat(noPublic.code()).isEqualTo(2);
        assertThat(noPublic.err()).contains("data.public");

        Path noModel = tmp.resolve("no-model.yaml");
        Files.writeString(noModel, "data:\n  train: public.jsonl\n");
        Run join = run("join", "--superlink", "127.0.0.1:1", "--insecure", "--config", noModel.toString());
        assertThat(join.code()).isEqualTo(2);
        assertThat(join.err()).contains("model.dir");

        Run missing = run("join", "--superlink", "127.0.0.1:1", "--insecure", "--config",
                tmp.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml");

        Run both = run("join", "--superlink", "127.0.0.1:1", "--insecure", "--root-certificates", "ca.pem",
                "--config", noModel.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--insecure and --root-certificates");

        Run partition = run("join", "--superlink", "127.0.0.1:1", "--insecure", "--config",
                fixture("train: public.jsonl\n  partition: iid\n  clients: 2\n  test_fraction: 0").toString(), "--partition-id", "7");
        assertThat(partition.code()).isEqualTo(2);
        assertThat(partition.err()).contains("partition 7");
    }

    @Test
    void flowerServerRefusesPlainTextAndUnauthenticatedTlsBeforeLoadingAnything() throws Exception {
        Path config = fixture("public: public.jsonl");
        Run plain = run("flower-server", "--config", config.toString(), "--port", "0");
        assertThat(plain.code()).isEqualTo(2);
        assertThat(plain.err()).contains("refusing to serve the aligner in plain text").contains("--insecure")
                .doesNotContain("Exception").doesNotContain("\tat ");

        Path cert = Files.writeString(tmp.resolve("server.pem"), "not used: refused before reading");
        Path key = Files.writeString(tmp.resolve("server.key"), "not used: refused before reading");
        Run noAuth = run("flower-server", "--config", config.toString(), "--tls-cert", cert.toString(), "--tls-key",
                key.toString());
        assertThat(noAuth.code()).isEqualTo(2);
        assertThat(noAuth.err()).contains("--token-file and/or --tls-client-ca");

        Run both = run("flower-server", "--config", config.toString(), "--insecure", "--tls-cert", cert.toString(),
                "--tls-key", key.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--insecure excludes --tls-cert");

        Run noToken = run("flower-server", "--config", config.toString(), "--tls-cert", cert.toString(), "--tls-key",
                key.toString(), "--token-file", tmp.resolve("missing.token").toString());
        assertThat(noToken.code()).isEqualTo(2);
        assertThat(noToken.err()).contains("flower-server: token file").contains("missing.token")
                .contains("does not exist");

        Path shortToken = Files.writeString(tmp.resolve("short.token"), "s3cr3t\n");
        Run weak = run("flower-server", "--config", config.toString(), "--tls-cert", cert.toString(), "--tls-key",
                key.toString(), "--token-file", shortToken.toString());
        assertThat(weak.code()).isEqualTo(2);
        assertThat(weak.err()).contains("at least 16 characters").doesNotContain("s3cr3t");
    }
}
