package com.example.flower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/flower.md's quick start: a SuperLink (step 1), the Java client and node as the doc writes them (step 2),
 * and a FedAvg run started with {@code flwr run} (step 3), which must finish with the Java node's updates.
 */
class FlowerClientTest {
    @TempDir
    Path work;

    private Path bin;

    @Test
    void theQuickStartNodeTakesPartInFedAvg() throws Exception {
        bin = flwrVenv().resolve("bin");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = work.resolve("superlink.log");
        ProcessBuilder superlink = new ProcessBuilder(bin.resolve("flower-superlink").toString(), "--insecure",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--disable-runtime-dependency-installation")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        flowerEnv(superlink);
        Process link = superlink.start();
        try {
            awaitPort(link, port, log);
            AtomicInteger fits = new AtomicInteger();
            TensorClient client = new TensorClient() {
                @Override
                public FitResult fit(NamedTensors params, ConfigRecord config) {
                    fits.incrementAndGet();
                    NamedTensors updated = params;
                    return new FitResult(updated, 500, Map.of("train-loss", 0.3));
                }
            };
            try (SuperNode node = SuperNode.builder()
                    .setSuperlink("http://127.0.0.1:" + port)
                    .optInsecure(true)
                    .optKeyFile(work.resolve("node.key"))
                    .setClientApp(client.toClientApp())
                    .build()) {
                node.start();
                Path result = work.resolve("result.json");
                Path home = work.resolve("flwr-home");
                Files.createDirectories(home);
                Files.writeString(home.resolve("config.toml"), "[superlink]\ndefault = \"local\"\n\n[superlink.local]\n"
                        + "address = \"127.0.0.1:" + port + "\"\ninsecure = true\n");
                String out = flwr("run", Path.of(System.getProperty("fedbiot.root"), "python", "flower", "fedavg_app")
                        .toString(), "local", "--run-config", "num-server-rounds=2 min-nodes=1 result-file=\"" + result + "\"");
                assertTrue(out.contains("Successfully started run"), out);
                long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!Files.exists(result)) {
                    assertTrue(System.nanoTime() < end, "no result.json within 3 minutes; SuperLink log:\n"
                            + Files.readString(log));
                    Thread.sleep(250);
                }
                assertEquals(2, fits.get());
                assertTrue(Files.readString(result).contains("\"arrays\""));
            }
        } finally {
            link.descendants().forEach(ProcessHandle::destroy);
            link.destroy();
            if (!link.waitFor(20, TimeUnit.SECONDS)) {
                link.descendants().forEach(ProcessHandle::destroyForcibly);
                link.destroyForcibly();
            }
        }
    }

    /** Makes (on first use; needs PyPI then) or finds the pinned flwr 1.42 venv that the interop tests use. */
    private static Path flwrVenv() throws Exception {
        Path root = Path.of(System.getProperty("fedbiot.root"));
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("tools/python-venv.sh").toString(), "flwr-1.42",
                root.resolve("python/flower/requirements-flwr.txt").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("FEDBIOT_VENV_ROOT", System.getProperty("fedbiot.venv.dir"));
        Process p = pb.start();
        String venv = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), "tools/python-venv.sh failed");
        return Path.of(venv);
    }

    /** The venv's bin on PATH (the SuperLink starts flower-superexec by name), no telemetry. */
    private void flowerEnv(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("FLWR_HOME", work.resolve("flwr-home").toString());
        env.put("FLWR_TELEMETRY_ENABLED", "0");
        env.put("FLWR_DISABLE_UPDATE_CHECK", "1");
    }

    private String flwr(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("flwr").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        flowerEnv(pb);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "flwr " + String.join(" ", args) + " timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static void awaitPort(Process link, int port, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            assertTrue(link.isAlive(), () -> "flower-superlink exited:\n" + read(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("flower-superlink did not listen on " + port + ":\n" + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
