/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.fedbiotapp;

import io.github.fedbiot.algorithm.ClientRoundConfig;
import io.github.fedbiot.algorithm.ClientUpdate;
import io.github.fedbiot.algorithm.RoundMessage;
import io.github.fedbiot.engine.OptimizerConfig;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.record.RecordException;
import io.github.fedbiot.model.LoraSpec;
import io.github.fedbiot.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Flower message layout of FedBiOT, and the conversion of {@link RoundMessage} and {@link ClientUpdate} to
 * and from it.
 *
 * <p>A {@code train} instruction carries
 * <pre>
 *   "adapter"  ArrayRecord   the global adapter LoRA (float32)
 *   "emulator" ArrayRecord   the emulator LoRA aligned for this round (empty when the emulator has no LoRA)
 *   "config"   ConfigRecord  "server-round" (Flower's key) and the {@code fedbiot-*} keys of
 *                            {@link ClientRoundConfig}
 * </pre>
 * and the reply carries exactly one ArrayRecord and one MetricRecord, as Flower's FedAvg requires:
 * <pre>
 *   "adapter"  ArrayRecord   the trained adapter LoRA
 *   "metrics"  MetricRecord  "num-examples" (the FedAvg weight) and the client's training statistics
 * </pre>
 */
public final class FedBiOTRecords {
    /** Record key of the adapter LoRA (in instructions and replies). */
    public static final String ADAPTER = "adapter";
    /** Record key of the emulator LoRA. */
    public static final String EMULATOR = "emulator";
    /** Record key of the round's settings. */
    public static final String CONFIG = "config";
    /** Record key of the reply's metrics. */
    public static final String METRICS = "metrics";
    /** Flower's round key in the config record. */
    public static final String SERVER_ROUND = "server-round";
    /** Flower's FedAvg weighting key. */
    public static final String NUM_EXAMPLES = "num-examples";

    static final String STACK = "fedbiot-stack";
    static final String LORA_RANK = "fedbiot-lora-rank";
    static final String LORA_ALPHA = "fedbiot-lora-alpha";
    static final String LORA_DROPOUT = "fedbiot-lora-dropout";
    static final String LORA_TARGETS = "fedbiot-lora-targets";
    static final String LR = "fedbiot-lr";
    static final String BETA1 = "fedbiot-beta1";
    static final String BETA2 = "fedbiot-beta2";
    static final String EPS = "fedbiot-eps";
    static final String WEIGHT_DECAY = "fedbiot-weight-decay";
    static final String LOCAL_STEPS = "fedbiot-local-steps";
    static final String BATCH_SIZE = "fedbiot-batch-size";
    static final String GRAD_ACCUM = "fedbiot-grad-accum";
    static final String PROXIMAL_WEIGHT = "fedbiot-proximal-weight";
    static final String PROXIMAL_GRADIENT = "fedbiot-proximal-gradient";
    static final String SEED = "fedbiot-seed";
    /**
     * The run's root seed ({@code seed} of the aligner's configuration): a node's data order derives from it and
     * the round, as in the simulation, so that runs repeat whatever ran on the node before.
     */
    public static final String RUN_SEED = "fedbiot-run-seed";

    private FedBiOTRecords() {}

    /**
     * Returns a round's client settings as config entries (the {@code fedbiot-*} keys), in a fixed order.
     *
     * @param c the settings
     * @return key to Long, Double, Boolean or a list of Longs or Strings
     */
    public static Map<String, Object> configEntries(ClientRoundConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(STACK, c.stack().stream().map(Integer::longValue).toList());
        m.put(LORA_RANK, (long) c.lora().rank());
        m.put(LORA_ALPHA, c.lora().alpha());
        m.put(LORA_DROPOUT, c.lora().dropout());
        m.put(LORA_TARGETS, List.copyOf(c.lora().targets()));
        OptimizerConfig o = c.optimizer();
        m.put(LR, o.learningRate());
        m.put(BETA1, o.beta1());
        m.put(BETA2, o.beta2());
        m.put(EPS, o.epsilon());
        m.put(WEIGHT_DECAY, o.weightDecay());
        m.put(LOCAL_STEPS, (long) c.localSteps());
        m.put(BATCH_SIZE, (long) c.batchSize());
        m.put(GRAD_ACCUM, (long) c.gradAccum());
        m.put(PROXIMAL_WEIGHT, c.proximalWeight());
        m.put(PROXIMAL_GRADIENT, c.proximalGradient());
        m.put(SEED, c.seed());
        return m;
    }

    /**
     * Reads a round's client settings from a config record.
     *
     * @param config the record
     * @return the settings
     * @throws IllegalArgumentException naming a missing key or a value of the wrong type
     * @throws io.github.fedbiot.ConfigException naming a value out of range
     */
    public static ClientRoundConfig clientRoundConfig(ConfigRecord config) {
        List<Integer> stack = new ArrayList<>();
        for (Object v : list(config, STACK)) {
            if (!(v instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ConfigRecord '" + STACK + "' must be a list of layer indices, "
                        + "found " + config.get(STACK));
            }
            stack.add(l.intValue());
        }
        List<String> targets = new ArrayList<>();
        for (Object v : list(config, LORA_TARGETS)) {
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException("ConfigRecord '" + LORA_TARGETS + "' must be a list of module "
                        + "names, found " + config.get(LORA_TARGETS));
            }
            targets.add(s);
        }
        LoraSpec lora = new LoraSpec(intValue(config, LORA_RANK), config.getDouble(LORA_ALPHA),
                config.getDouble(LORA_DROPOUT), targets);
        OptimizerConfig opt = new OptimizerConfig(config.getDouble(LR), config.getDouble(BETA1),
                config.getDouble(BETA2), config.getDouble(EPS), config.getDouble(WEIGHT_DECAY));
        return new ClientRoundConfig(stack, lora, opt, intValue(config, LOCAL_STEPS), intValue(config, BATCH_SIZE),
                intValue(config, GRAD_ACCUM), config.getDouble(PROXIMAL_WEIGHT), config.getBoolean(PROXIMAL_GRADIENT),
                config.getLong(SEED));
    }

    /**
     * Returns the Flower content of a round's instruction.
     *
     * @param m the message
     * @return the content
     */
    public static RecordDict toRecordDict(RoundMessage m) {
        ConfigRecord.Builder cfg = ConfigRecord.builder().put(SERVER_ROUND, (long) m.round());
        configEntries(m.config()).forEach(cfg::put);
        return RecordDict.builder()
                .add(ADAPTER, ArrayRecord.fromNamedTensors(m.adapterLora()))
                .add(EMULATOR, ArrayRecord.fromNamedTensors(m.emulatorLora()))
                .add(CONFIG, cfg.build())
                .build();
    }

    /**
     * Reads a round's instruction.
     *
     * @param content the content of a {@code train} message
     * @return the round message
     * @throws RecordException naming a missing or malformed record
     */
    public static RoundMessage roundMessage(RecordDict content) {
        ConfigRecord cfg = content.configRecord(CONFIG);
        long round = cfg.getLong(SERVER_ROUND);
        if (round < 1 || round > Integer.MAX_VALUE) {
            throw new RecordException("ConfigRecord '" + SERVER_ROUND + "' must be a round >= 1, found " + round);
        }
        NamedTensors adapter = content.arrayRecord(ADAPTER).toNamedTensors();
        if (adapter.isEmpty()) {
            throw new RecordException("ArrayRecord '" + ADAPTER + "' is empty; the server must send the adapter LoRA");
        }
        NamedTensors emulator = content.arrayRecord(EMULATOR).toNamedTensors();
        return new RoundMessage((int) round, adapter, emulator, clientRoundConfig(cfg));
    }

    /**
     * Returns the run's root seed of a {@code train} message, if the server sent one.
     *
     * @param content the message content
     * @return the seed, or empty for a server that sends none
     * @throws IllegalArgumentException if the value is not an integer
     */
    public static java.util.OptionalLong runSeed(RecordDict content) {
        ConfigRecord cfg = content.configRecord(CONFIG);
        return cfg.containsKey(RUN_SEED) ? java.util.OptionalLong.of(cfg.getLong(RUN_SEED))
                : java.util.OptionalLong.empty();
    }

    /**
     * Returns the Flower content of a client's reply.
     *
     * @param u the update
     * @return the content
     */
    public static RecordDict toRecordDict(ClientUpdate u) {
        MetricRecord.Builder metrics = MetricRecord.builder();
        u.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> metrics.put(e.getKey(),
                e.getValue()));
        metrics.put(NUM_EXAMPLES, (long) u.samples());
        return RecordDict.builder()
                .add(ADAPTER, ArrayRecord.fromNamedTensors(u.adapterLora()))
                .add(METRICS, metrics.build())
                .build();
    }

    /**
     * Reads a client's reply.
     *
     * @param clientId the id to give the update (e.g. the Flower node id)
     * @param content the reply content
     * @return the update
     * @throws RecordException naming a missing or malformed record
     */
    public static ClientUpdate clientUpdate(String clientId, RecordDict content) {
        MetricRecord m = content.metricRecord(METRICS);
        long n = m.getLong(NUM_EXAMPLES);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new RecordException("MetricRecord '" + NUM_EXAMPLES + "' is out of range: " + n);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        m.asMap().forEach((k, v) -> {
            if (!k.equals(NUM_EXAMPLES) && v instanceof Number x) {
                metrics.put(k, x.doubleValue());
            }
        });
        return new ClientUpdate(clientId, (int) n, content.arrayRecord(ADAPTER).toNamedTensors(), metrics);
    }

    private static List<?> list(ConfigRecord config, String key) {
        Object v = config.get(key);
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("ConfigRecord '" + key + "' must be a list, found " + v);
        }
        return l;
    }

    private static int intValue(ConfigRecord config, String key) {
        long v = config.getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ConfigRecord '" + key + "' is out of range: " + v);
        }
        return (int) v;
    }
}
