/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.PythonProcess;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java SuperNodes with {@link SecAggPlusMod} on a real flwr 1.42.0 SuperLink, aggregated by an unmodified ServerApp
 * running {@code SecAggPlusWorkflow} ({@code python/flower/secagg_app}, 3 shares, threshold 2): three Java nodes
 * over two rounds; two Java nodes and a Python {@code flower-supernode} with Flower's own {@code secaggplus_mod}
 * (and, opt-in, the same federation in plain FedAvg, for the overhead written to
 * {@code target/secagg-overhead.json}); a
 * Java node that leaves after the share-keys stage, whose masks the others' shares remove.
 *
 * <p>The aggregate must be the example-weighted FedAvg of the updates within the quantization error. With
 * clipping range c, quantization range Q, max weight W and a node's n examples, the node uploads
 * {@code q = round(n Q / W)} and {@code quantize(q/Q * x)} (one value's error below one step {@code 2c/Q}); the
 * ServerApp divides the sum by {@code sum q}. With Q/W an integer the weights are exact, so each element is off by
 * less than {@code 2c * sum_i e_i / sum_i q_i}, with e = 1 for a Java node (double arithmetic) and e = 2 for a
 * NumPy node (its float32 intermediates near Q = 2^22 add up to one more step). Every log is then searched for
 * the Java nodes' private keys, mask seeds, shared keys and shares.
 */
class SecAggPlusInteropTest {
    private static final double CLIP = 8.0;
    private static final long Q = 1 << 22;
    private static final double W = 1024.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void threeJavaNodesOverTwoRounds() throws Exception {
        Path bin = FlowerEnv.venvBin(FlowerEnv.VENV, FlowerEnv.REQUIREMENTS);
        try (LogCapture logs = LogCapture.start(); SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false)) {
            List<SecAggJavaNode> nodes = new ArrayList<>();
            try {
                for (int k = 0; k < 3; k++) {
                    nodes.add(new SecAggJavaNode(k).start(link.fleetAddress(), false));
                }
                JsonNode r = run(link, "num-server-rounds=2");
                checkAggregate(r, nodes, List.of());
                assertThat(nodes).allSatisfy(n -> assertThat(n.node().errorRepliesSent()).isZero());
                assertThat(nodes).allSatisfy(n -> assertThat(n.keyPairs).hasSize(4)); // 2 pairs a round
                assertNoSecrets(logs.text() + link.logText(), nodes);
            } finally {
                nodes.forEach(SecAggJavaNode::close);
            }
        }
    }

    @Test
    void twoJavaNodesAndAPythonNodeWithFlowersOwnMod() throws Exception {
        mixed(false);
    }

    /**
     * The same federation in plain FedAvg and then under SecAgg+, with a 65,546-element update; writes
     * {@code target/secagg-overhead.json}. Minutes long, so only with {@code -Dfedbiot.secagg.overhead=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "fedbiot.secagg.overhead", matches = "true")
    void overheadOverPlainFedAvg() throws Exception {
        mixed(true);
    }

    private void mixed(boolean overhead) throws Exception {
        Path bin = FlowerEnv.venvBin(FlowerEnv.VENV, FlowerEnv.REQUIREMENTS);
        try (LogCapture logs = LogCapture.start(); SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false);
                PythonProcess py = PythonProcess.start(bin, work, "flower-supernode", List.of("--insecure",
                        "--superlink", "127.0.0.1:" + link.fleetPort(), "--port", String.valueOf(FlowerEnv.freePort()),
                        "--node-config", "partition-id=2"))) {
            List<SecAggJavaNode> nodes = new ArrayList<>();
            try {
                for (int k = 0; k < 2; k++) {
                    nodes.add(new SecAggJavaNode(k).start(link.fleetAddress(), false));
                }
                String big = overhead ? "big-array=65536" : "big-array=1024";
                JsonNode plain = null;
                if (overhead) {
                    plain = run(link, "secagg=false " + big);
                    checkPlainAggregate(plain, nodes, List.of(2));
                }
                JsonNode secure;
                try {
                    secure = run(link, "secagg=true " + big);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nflower-supernode log:\n" + py.logText(), e);
                }
                checkAggregate(secure, nodes, List.of(2));
                assertThat(nodes).allSatisfy(n -> assertThat(n.node().errorRepliesSent()).isZero());
                if (overhead) {
                    writeOverhead(plain, secure, nodes.get(0));
                }
                assertNoSecrets(logs.text() + link.logText() + py.logText(), nodes);
            } finally {
                nodes.forEach(SecAggJavaNode::close);
            }
        }
    }

    @Test
    void aNodeDroppingOutAfterShareKeysIsUnmaskedByTheOthers() throws Exception {
        Path bin = FlowerEnv.venvBin(FlowerEnv.VENV, FlowerEnv.REQUIREMENTS);
        try (LogCapture logs = LogCapture.start(); SuperLinkProcess link = SuperLinkProcess.start(bin, work, false, false)) {
            List<SecAggJavaNode> nodes = new ArrayList<>();
            try {
                for (int k = 0; k < 3; k++) {
                    nodes.add(new SecAggJavaNode(k).start(link.fleetAddress(), k == 2));
                }
                JsonNode r = run(link, "stage-timeout=20.0");
                checkAggregate(r, nodes.subList(0, 2), List.of());
                assertThat(nodes.get(2).lastSent).as("the dropped node never trained").isNull();
                // the survivors revealed the dropped node's first private key shares in the unmask stage
                for (SecAggJavaNode n : nodes.subList(0, 2)) {
                    ConfigRecord unmask = n.replies.get(n.replies.size() - 1).configRecord(SecAggPlusKey.RECORD_KEY_CONFIGS);
                    assertThat((List<?>) unmask.get(SecAggPlusKey.SHARE_LIST)).hasSize(3);
                }
                assertNoSecrets(logs.text() + link.logText(), nodes.subList(0, 2));
            } finally {
                nodes.forEach(SecAggJavaNode::close);
            }
        }
    }

    private JsonNode run(SuperLinkProcess link, String runConfig) throws Exception {
        Path result = work.resolve("result-" + System.nanoTime() + ".json");
        link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/secagg_app").toString(),
                link.writeCliConfig(), "--run-config", "result-file=\"" + result + "\" " + runConfig);
        long end = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        long nextCheck = System.nanoTime() + 5_000_000_000L;
        while (!Files.exists(result)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the ServerApp wrote no result; SuperLink log:\n" + link.logText());
            }
            if (System.nanoTime() > nextCheck) {
                String ls = link.flwr(Duration.ofSeconds(60), "ls", "local", "--format", "json");
                if (ls.contains("finished:failed") || ls.contains("finished:stopped")) {
                    throw new AssertionError("the run ended without a result: " + ls + "\n" + link.logText());
                }
                nextCheck = System.nanoTime() + 5_000_000_000L;
            }
            Thread.sleep(200);
        }
        return JSON.readTree(result.toFile());
    }

    /** FedAvg of the Java nodes' last updates and the Python nodes' (global + (pid + 1) / 10), elementwise. */
    private static double[][] fedAvg(JsonNode r, List<SecAggJavaNode> java, List<Integer> pythonPids) {
        int arrays = r.get("arrays").size();
        double[][] out = new double[arrays][];
        for (int a = 0; a < arrays; a++) {
            Tensor g = java.get(0).lastReceived.get(String.valueOf(a));
            double[] sum = new double[g.numel()];
            double den = 0;
            for (SecAggJavaNode n : java) {
                float[] s = n.lastSent.get(String.valueOf(a)).data();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += n.numExamples() * (double) s[i];
                }
                den += n.numExamples();
            }
            for (int pid : pythonPids) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += 10.0 * (pid + 1) * (g.data()[i] + (pid + 1) / 10.0);
                }
                den += 10.0 * (pid + 1);
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= den;
            }
            out[a] = sum;
        }
        return out;
    }

    private static double maxError(JsonNode r, double[][] expected) {
        double max = 0;
        for (int a = 0; a < expected.length; a++) {
            JsonNode got = r.get("arrays").get(a);
            assertThat(got.size()).isEqualTo(expected[a].length);
            for (int i = 0; i < expected[a].length; i++) {
                max = Math.max(max, Math.abs(got.get(i).asDouble() - expected[a][i]));
            }
        }
        return max;
    }

    private static void checkAggregate(JsonNode r, List<SecAggJavaNode> java, List<Integer> pythonPids) {
        double qTotal = 0;
        double steps = 0;
        for (SecAggJavaNode n : java) {
            qTotal += Math.rint(n.numExamples() / W * Q);
            steps += 1;
        }
        for (int pid : pythonPids) {
            qTotal += Math.rint(10.0 * (pid + 1) / W * Q);
            steps += 2;
        }
        double bound = 2 * CLIP * steps / qTotal + 1e-6; // + float32 rounding of the Python node's update
        double err = maxError(r, fedAvg(r, java, pythonPids));
        System.out.printf(Locale.ROOT, "SecAgg+ aggregate: max |error| %.3g, bound %.3g%n", err, bound);
        assertThat(err).isLessThan(bound);
    }

    private static void checkPlainAggregate(JsonNode r, List<SecAggJavaNode> java, List<Integer> pythonPids) {
        assertThat(maxError(r, fedAvg(r, java, pythonPids))).isLessThan(1e-5);
    }

    /** Seconds per round (the ServerApp's send-and-receive calls) and content bytes per node per round. */
    private static void writeOverhead(JsonNode plain, JsonNode secure, SecAggJavaNode java) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.put("elements", 6 + 4 + 65536).put("nodes", "2 Java + 1 Python").put("flwr", "1.42.0");
        for (JsonNode r : List.of(plain, secure)) {
            ObjectNode o = out.putObject(r == plain ? "plain_fedavg" : "secaggplus");
            double seconds = 0;
            for (JsonNode c : r.get("calls")) {
                seconds += c.asDouble();
            }
            o.put("seconds_per_round", seconds / r.get("rounds").asInt());
            o.put("stages_per_round", r.get("calls").size() / r.get("rounds").asInt());
            o.set("seconds_per_stage", r.get("calls"));
            ObjectNode bytes = o.putObject("bytes_per_node_per_round");
            r.get("bytes").fields().forEachRemaining(e -> {
                String impl = r.get("impl").path(e.getKey()).asText("?");
                ObjectNode b = bytes.putObject(impl + "-" + e.getKey());
                b.put("to_node", e.getValue().get("sent").asLong() / r.get("rounds").asInt());
                b.put("from_node", e.getValue().get("received").asLong() / r.get("rounds").asInt());
            });
        }
        ObjectNode handler = out.putObject("java_node_handler_ms_by_stage");
        java.stageMillis.forEach(handler::put);
        out.put("note", "seconds are the ServerApp's send-and-receive calls (all nodes, polling and Python's "
                + "per-message ClientApp process included); bytes are serialized message contents");
        Path file = Path.of("target", "secagg-overhead.json");
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), out);
        System.out.println("SecAgg+ overhead: " + out.toPrettyString());
    }

    /** Searches logs for every secret of the Java nodes that the test can reconstruct, as hex and base64. */
    private static void assertNoSecrets(String logs, List<SecAggJavaNode> nodes) {
        List<byte[]> secrets = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<KeyPair> all = new ArrayList<>();
        for (SecAggJavaNode n : nodes) {
            all.addAll(n.keyPairs);
            secrets.addAll(n.seeds);
            for (RecordDict reply : n.replies) {
                ConfigRecord c = reply.configRecord(SecAggPlusKey.RECORD_KEY_CONFIGS);
                if (c.containsKey(SecAggPlusKey.SHARE_LIST)) {
                    ((List<?>) c.get(SecAggPlusKey.SHARE_LIST)).forEach(s -> secrets.add((byte[]) s));
                }
            }
        }
        for (KeyPair p : all) {
            secrets.add(p.getPrivate().getEncoded());
            secrets.add(((ECPrivateKey) p.getPrivate()).getS().toByteArray());
            String pem = new String(EcKeys.privateKeyToPem(p.getPrivate()), StandardCharsets.US_ASCII);
            pem.lines().filter(l -> !l.startsWith("-----")).forEach(texts::add);
            for (KeyPair q : all) {
                if (q != p) {
                    texts.add(new String(SharedKeys.generate(p.getPrivate(), q.getPublic()), StandardCharsets.US_ASCII));
                }
            }
        }
        assertThat(secrets.size()).isGreaterThan(3 * nodes.size());
        String lower = logs.toLowerCase(Locale.ROOT);
        assertThat(logs).isNotBlank();
        for (byte[] s : secrets) {
            byte[] tail = s.length > 20 ? java.util.Arrays.copyOfRange(s, 4, s.length) : s; // shares: skip the index
            assertThat(lower).doesNotContain(HexFormat.of().formatHex(tail).substring(0, 32));
            assertThat(logs).doesNotContain(Base64.getEncoder().encodeToString(tail).substring(0, 24))
                    .doesNotContain(Base64.getUrlEncoder().encodeToString(tail).substring(0, 24));
        }
        texts.stream().filter(t -> t.length() >= 16).forEach(t -> assertThat(logs).doesNotContain(t));
    }

    /** Copies what is written to System.out and System.err (slf4j-simple writes to System.err) while open. */
    private static final class LogCapture implements AutoCloseable {
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        static LogCapture start() {
            LogCapture c = new LogCapture();
            System.setOut(new PrintStream(c.tee(c.out), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(c.tee(c.err), true, StandardCharsets.UTF_8));
            return c;
        }

        private OutputStream tee(PrintStream target) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    target.write(b);
                    synchronized (buf) {
                        buf.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    target.write(b, off, len);
                    synchronized (buf) {
                        buf.write(b, off, len);
                    }
                }
            };
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
