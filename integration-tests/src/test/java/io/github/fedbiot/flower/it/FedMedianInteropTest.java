/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flower's own {@code FedMedian} (flwr 1.42.0, unmodified ServerApp {@code python/flower/robust_app}) over four
 * Java SuperNodes, one of them poisoned: it sends the honest update scaled by -100. The final arrays are the
 * coordinate-wise median of what the four nodes sent in the last round (so the Java nodes' replies reach Flower's
 * robust strategies as they are), and stay within the honest nodes' range, where FedAvg would not.
 */
class FedMedianInteropTest {
    static final int ROUNDS = 2;

    @TempDir
    Path work;

    /** Sends {@code x - 100 (honest(x) - x)}: the honest update, sign-flipped and scaled by 100. */
    static final class PoisonedClient implements TensorClient {
        final RecordingClient honest;
        final Map<Long, NamedTensors> sent = new java.util.concurrent.ConcurrentHashMap<>();

        PoisonedClient(int k) {
            honest = new RecordingClient(k);
        }

        @Override
        public FitResult fit(NamedTensors parameters, ConfigRecord config) {
            FitResult h = honest.fit(parameters, config);
            NamedTensors out = NamedTensors.weightedSum(List.of(parameters, h.parameters()), new double[] {101, -100});
            sent.put(config.getLong("server-round"), out);
            return new FitResult(out, h.numExamples(), h.metrics());
        }

        @Override
        public EvaluateResult evaluate(NamedTensors parameters, ConfigRecord config) {
            return honest.evaluate(parameters, config);
        }
    }

    @Test
    void fedMedianOverFourJavaNodesOnePoisoned() throws Exception {
        Path bin = FlowerEnv.venvBin(FedAvgInteropTest.VENV, FedAvgInteropTest.REQUIREMENTS);
        List<RecordingClient> honest = List.of(new RecordingClient(0), new RecordingClient(1), new RecordingClient(2));
        PoisonedClient evil = new PoisonedClient(3);
        List<SuperNode> nodes = new ArrayList<>();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false)) {
            try {
                List<TensorClient> clients = new ArrayList<>(honest);
                clients.add(evil);
                for (int k = 0; k < clients.size(); k++) {
                    nodes.add(SuperNode.builder().setSuperlink(link.fleetAddress()).optInsecure(true)
                            .setClientApp(clients.get(k).toClientApp()).optPollInterval(Duration.ofMillis(200))
                            .optNodeConfig(Map.of("partition-id", k)).build().start());
                }
                Path result = work.resolve("result.json");
                String out = link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root()
                        .resolve("python/flower/robust_app").toString(), link.writeCliConfig(), "--run-config",
                        "strategy=\"fedmedian\" min-nodes=4 num-server-rounds=" + ROUNDS + " result-file=\"" + result
                                + "\"");
                assertThat(out).contains("Successfully started run");
                FedAvgInteropTest.awaitFile(result, Duration.ofMinutes(3), link);
                assertThat(nodes).allSatisfy(n -> assertThat(n.errorRepliesSent()).isZero());
                check(new ObjectMapper().readTree(result.toFile()), honest, evil);
            } finally {
                nodes.forEach(SuperNode::close);
            }
        }
    }

    private static void check(JsonNode json, List<RecordingClient> honest, PoisonedClient evil) {
        long r = ROUNDS;
        List<NamedTensors> last = new ArrayList<>();
        honest.forEach(c -> last.add(c.sent.get(r)));
        last.add(evil.sent.get(r));
        assertThat(last).as("every node trained in the last round").doesNotContainNull();
        for (String name : List.of("0", "1", "2")) {
            JsonNode arr = json.get("arrays").get(name);
            int n = last.get(0).get(name).numel();
            double tol = "float16".equals(arr.get("dtype").asText()) ? 2e-2 : 1e-5;
            for (int i = 0; i < n; i++) {
                double[] v = new double[4];
                for (int c = 0; c < 4; c++) {
                    v[c] = last.get(c).get(name).data()[i];
                }
                double mean = Arrays.stream(v).sum() / 4;
                Arrays.sort(v);
                double median = (v[1] + v[2]) / 2;
                double got = arr.get("data").get(i).asDouble();
                assertThat(got).as("%s[%d] is the median", name, i)
                        .isCloseTo(median, Offset.offset(tol * Math.max(1, Math.abs(median))));
                double lo = Double.MAX_VALUE;
                double hi = -Double.MAX_VALUE;
                for (RecordingClient c : honest) {
                    Tensor t = c.sent.get(r).get(name);
                    lo = Math.min(lo, t.data()[i]);
                    hi = Math.max(hi, t.data()[i]);
                }
                assertThat(got).as("%s[%d] within the honest range", name, i)
                        .isBetween(lo - tol * Math.max(1, Math.abs(lo)), hi + tol * Math.max(1, Math.abs(hi)));
                if (Math.abs(hi - lo) > 1e-3) {
                    assertThat(Math.abs(mean - median)).as("the unweighted mean is dragged away").isGreaterThan(hi - lo);
                }
            }
        }
    }
}
