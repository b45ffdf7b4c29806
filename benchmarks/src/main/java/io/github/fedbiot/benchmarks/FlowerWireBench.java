/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.cli.BenchSubcommand;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.FedbiotConfigReader;
import io.github.fedbiot.engine.BaseModel;
import io.github.fedbiot.engine.Engines;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.AlignerSecurity;
import io.github.fedbiot.flower.fedbiotapp.server.grpc.EmulatorAligner;
import io.github.fedbiot.flower.fedbiotapp.client.FedBiOTClientApp;
import io.github.fedbiot.flower.local.FlowerEnv;
import io.github.fedbiot.flower.local.SuperLinkProcess;
import io.github.fedbiot.flower.supernode.SuperNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedbiot bench flower-wire}: the bytes a FedBiOT client really exchanges per round when the federation
 * runs on a real Flower SuperLink (flwr 1.42.0, HTTP Fleet API), measured at the wire, against the LoRA payload
 * the in-process simulation counts ({@code bytes_down_per_client}: adapter + emulator LoRA; {@code
 * bytes_up_per_client}: adapter LoRA, float32).
 *
 * <p>The run is the one of {@code docs/flower.md}: the Python ServerApp ({@code python/flower/fedbiot_app},
 * Flower's FedAvg on the adapter LoRA), the Java emulator aligner, and Java SuperNodes, each of which reaches the
 * SuperLink through its own {@link FleetRecordingProxy}. Per node and round it reports the object bytes the node
 * pulled for the instruction and pushed for its reply (Flower's serialised records: the payload plus names,
 * shapes, dtypes and the ConfigRecord), and, over the whole run, every Fleet request and response body
 * (messages, objects, heartbeats, registration).
 */
@Command(name = "flower-wire", mixinStandardHelpOptions = true,
        description = {"FedBiOT over a real flwr SuperLink: bytes per client and round measured at the wire vs the "
                + "LoRA payload the simulation counts.",
            "Needs the pinned Flower venv (made on first use) and a model directory (docs/pretrained-weights.md)."})
public final class FlowerWireBench implements BenchSubcommand {
    private static final Logger logger = LoggerFactory.getLogger(FlowerWireBench.class);

    @Mixin
    private BenchOptions options = new BenchOptions();

    @Option(names = "--model-dir", defaultValue = "${sys:user.home}/.cache/fedbiot/models/smollm2-135m-instruct",
            description = "Hugging Face model directory (default: ${DEFAULT-VALUE}).")
    private Path modelDir;

    @Option(names = "--nodes", defaultValue = "2", description = "Java SuperNodes (default: ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--k", defaultValue = "2", description = "Adapter layers K (default: ${DEFAULT-VALUE}).")
    private int k;

    @Option(names = "--beta", defaultValue = "0.5", description = "Layer drop rate beta (default: ${DEFAULT-VALUE}).")
    private double beta;

    @Option(names = "--train", defaultValue = "classpath:fedbiot/default-task/train.jsonl",
            description = "The nodes' data, dealt evenly among them (default: the embedded task).")
    private String train;

    @Option(names = "--public", defaultValue = "classpath:fedbiot/default-task/public.jsonl",
            description = "The aligner's public data (default: the embedded task's).")
    private String publicData;

    @Option(names = "--name", defaultValue = "flower-wire",
            description = "Result file name without extension (default: ${DEFAULT-VALUE}).")
    private String name;

    /** What one node received and sent in one round. */
    private record Exchange(RoundMessage received, ClientUpdate sent) {}

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || rounds < 1) {
            throw new IllegalArgumentException("--nodes and --rounds must be >= 1");
        }
        if (!Files.isRegularFile(modelDir.resolve("config.json"))) {
            throw new IllegalArgumentException("--model-dir " + modelDir + " holds no config.json; see "
                    + "docs/pretrained-weights.md to make the SmolLM2 directory");
        }
        options.applyThreads();
        String cmd = "fedbiot bench flower-wire --nodes " + nodes + " --rounds " + rounds + " --k " + k + " --beta "
                + beta + " --seed " + options.seed() + " --name " + name;
        ObjectNode root = BenchResults.start("flower-wire", cmd);
        Path work = options.out().toAbsolutePath().resolve(name + "-runs");
        Files.createDirectories(work);
        FedbiotConfig cfg = FedbiotConfigReader.parse(configYaml(), true);
        Path bin = FlowerEnv.venvBin(FlowerEnv.VENV, FlowerEnv.REQUIREMENTS);
        root.put("model_dir", modelDir.toString());
        root.put("nodes", nodes);
        root.put("rounds", rounds);
        root.put("adapter_layers", k);
        root.put("drop_rate", beta);
        root.put("lora", "r " + cfg.lora().rank() + ", alpha " + fmt(cfg.lora().alpha()) + ", "
                + String.join(" + ", cfg.lora().targets()));

        List<Map<Integer, Exchange>> exchanges = new ArrayList<>();
        List<FleetRecordingProxy> proxies = new ArrayList<>();
        List<SuperNode> started = new ArrayList<>();
        List<BaseModel> models = new ArrayList<>();
        long origin = System.nanoTime();
        try (SuperLinkProcess link = SuperLinkProcess.start(bin, work.resolve("superlink"), false, false)) {
            try {
                BaseModel serverModel = Engines.get("djl").load(modelDir);
                models.add(serverModel);
                try (EmulatorAligner aligner = EmulatorAligner.builder().setConfig(cfg).setModel(serverModel)
                        .setSecurity(AlignerSecurity.plaintext(null)) // loopback; the nodes' traffic is measured
                        .optOutputDir(work.resolve("aligner-out")).build().start()) {
                    for (int i = 0; i < nodes; i++) {
                        BaseModel m = Engines.get("djl").load(modelDir);
                        models.add(m);
                        Map<Integer, Exchange> seen = new ConcurrentHashMap<>();
                        exchanges.add(seen);
                        FleetRecordingProxy proxy = new FleetRecordingProxy(link.fleetPort());
                        proxies.add(proxy);
                        FedBiOTClientApp app = FedBiOTClientApp.fromConfig(cfg, m, i)
                                .addListener((msg, upd) -> seen.put(msg.round(), new Exchange(msg, upd)));
                        started.add(SuperNode.builder().setSuperlink("http://127.0.0.1:" + proxy.port())
                                .optInsecure(true).setClientApp(app.clientApp())
                                .optPollInterval(Duration.ofMillis(200)).build().start());
                    }
                    link.flwr(Duration.ofMinutes(2), "run", FlowerEnv.root().resolve("python/flower/fedbiot_app")
                            .toString(), link.writeCliConfig(), "--run-config", "aligner-insecure=true aligner-address=\""
                            + aligner.address() + "\" min-nodes=" + nodes + " num-server-rounds=" + rounds);
                    if (!aligner.session().awaitFinish(30, TimeUnit.MINUTES)) {
                        throw new FedbiotException("the FedBiOT ServerApp did not finish within 30 minutes; "
                                + "SuperLink log:\n" + link.logText());
                    }
                }
            } finally {
                started.forEach(SuperNode::close);
                models.forEach(BaseModel::close);
            }
        } finally {
            for (int i = 0; i < proxies.size(); i++) {
                proxies.get(i).writeLog(work.resolve("node-" + i + "-rpcs.tsv"), origin);
                proxies.get(i).close();
            }
        }
        summarise(root, exchanges, proxies);
        Path json = options.out().resolve(name + ".json");
        BenchResults.finish(root, json);
        System.out.println("flower wire bytes -> " + json);
        return 0;
    }

    private void summarise(ObjectNode root, List<Map<Integer, Exchange>> exchanges, List<FleetRecordingProxy> proxies) {
        ArrayNode rows = root.putArray("rounds_per_node");
        ArrayNode totals = root.putArray("node_totals");
        double worstDown = 0;
        double worstUp = 0;
        for (int i = 0; i < proxies.size(); i++) {
            FleetRecordingProxy proxy = proxies.get(i);
            List<String> instructions = proxy.instructionIds();
            long payloadDown = 0;
            long payloadUp = 0;
            for (int round = 1; round <= rounds; round++) {
                Exchange x = exchanges.get(i).get(round);
                if (x == null || round > instructions.size()) {
                    throw new FedbiotException("node " + i + " has no exchange for round " + round);
                }
                String id = instructions.get(round - 1);
                Optional<FleetRecordingProxy.Window> w = proxy.windowOf(id);
                if (w.isEmpty()) {
                    throw new FedbiotException("the proxy of node " + i + " saw no reply to instruction " + id);
                }
                long down = x.received().adapterLora().byteSize() + x.received().emulatorLora().byteSize();
                long up = x.sent().adapterLora().byteSize();
                payloadDown += down;
                payloadUp += up;
                ObjectNode r = rows.addObject();
                r.put("node", i);
                r.put("round", round);
                r.put("payload_bytes_down", down);
                r.put("payload_bytes_up", up);
                r.put("wire_object_bytes_down", w.get().bytesPulled());
                r.put("wire_object_bytes_up", w.get().bytesPushed());
                double rd = (double) w.get().bytesPulled() / down;
                double ru = (double) w.get().bytesPushed() / up;
                r.put("wire_over_payload_down", rd);
                r.put("wire_over_payload_up", ru);
                worstDown = Math.max(worstDown, rd);
                worstUp = Math.max(worstUp, ru);
                logger.info(String.format(Locale.ROOT, "node %d round %d: down %,d B on the wire for %,d B of LoRA "
                        + "(%.4fx), up %,d B for %,d B (%.4fx)", i, round, w.get().bytesPulled(), down, rd,
                        w.get().bytesPushed(), up, ru));
            }
            long bodies = 0;
            long heartbeats = 0;
            for (FleetRecordingProxy.Rpc rpc : proxy.rpcs()) {
                bodies += rpc.requestBytes() + rpc.responseBytes();
                if (rpc.rpc().equals("send-node-heartbeat")) {
                    heartbeats += rpc.requestBytes() + rpc.responseBytes();
                }
            }
            ObjectNode t = totals.addObject();
            t.put("node", i);
            t.put("payload_bytes", payloadDown + payloadUp);
            t.put("all_fleet_body_bytes", bodies);
            t.put("heartbeat_bytes", heartbeats);
            t.put("rpcs", proxy.rpcs().size());
            t.put("all_fleet_over_payload", (double) bodies / (payloadDown + payloadUp));
        }
        root.put("max_wire_over_payload_down", worstDown);
        root.put("max_wire_over_payload_up", worstUp);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private String configYaml() {
        // JSON is YAML: one line each, so the values read as what they are
        return String.join("\n",
                "seed: " + options.seed(),
                "algorithm: fedbiot",
                "model: {dir: \"" + modelDir.toAbsolutePath() + "\"}",
                "data: {train: \"" + train + "\", public: \"" + publicData + "\", partition: iid, clients: " + nodes
                        + ", validation_fraction: 0.0, test_fraction: 0.0, max_length: 64}",
                "plan: {adapter_layers: " + k + ", drop_rate: " + beta + "}",
                "lora: {rank: 8, alpha: 16, dropout: 0.05, targets: [q_proj, v_proj]}",
                "optimizer: {lr: 0.001}",
                "client: {local_steps: 1, batch_size: 2, grad_accum: 1}",
                "server: {align_steps: 1, pre_align_rounds: 1, batch_size: 2, grad_accum: 1}",
                "federation: {rounds: " + rounds + "}",
                "");
    }
}
