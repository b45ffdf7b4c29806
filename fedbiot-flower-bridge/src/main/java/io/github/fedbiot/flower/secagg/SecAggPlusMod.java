/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import io.github.fedbiot.flower.app.Context;
import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.ArrayRecord;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.Message;
import io.github.fedbiot.flower.record.MetricRecord;
import io.github.fedbiot.flower.record.Record;
import io.github.fedbiot.flower.record.RecordDict;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java counterpart of Flower's {@code secaggplus_mod}: wraps a node's {@code train} handler so that the node
 * takes part in {@code SecAggPlusWorkflow} (flwr 1.42.0) and the ServerApp sees only the sum of the masked,
 * quantized updates.
 *
 * <pre>{@code
 * SecAggPlusMod mod = SecAggPlusMod.builder().setSeed(42).build();
 * ClientApp app = ClientApp.builder().optTrain(mod.wrap(LegacyFitHandler.of(client))).build();
 * }</pre>
 *
 * <p>Messages of other types pass through. A {@code train} message must carry a {@code secaggplus_configs} record
 * whose {@code stage} follows the previous one (a {@code setup} may restart at any time); only the
 * {@code collect_masked_vectors} stage calls the wrapped handler, whose reply must be Flower's legacy
 * {@code FitRes} records ({@code fitres.parameters}, {@code fitres.num_examples}, as {@link LegacyFitHandler}
 * writes them); its arrays are replaced by the masked vector. One mod serves one node; its state is kept per run.
 *
 * <p>Keys, mask seeds and shares come from a {@link SecureRandom} and are never logged; the configured seed drives
 * only the stochastic rounding of the quantization, which reveals nothing the masked sum does not.
 */
public final class SecAggPlusMod {
    private static final Logger logger = LoggerFactory.getLogger(SecAggPlusMod.class);
    private static final String TRAIN = "train";

    private final SecAggPlusProtocol protocol;
    private final Map<Long, SecAggPlusState> states = new ConcurrentHashMap<>();

    private SecAggPlusMod(Builder b) {
        SecureRandom secure = b.secure;
        KeyPairGenerator g = b.keyGenerator;
        Supplier<KeyPair> keys = g == null ? () -> EcKeys.generate(secure) : g::generateKeyPair;
        this.protocol = new SecAggPlusProtocol(secure, keys, new SplittableRandom(b.seed), b.clock);
    }

    /** Returns a new builder. @return the builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a handler that runs SecAgg+ around another.
     *
     * @param next the train handler, replying legacy {@code FitRes} records
     * @return the wrapped handler
     */
    public MessageHandler wrap(MessageHandler next) {
        return (msg, ctx) -> handle(msg, ctx, next);
    }

    private RecordDict handle(Message msg, Context ctx, MessageHandler next) throws Exception {
        if (!TRAIN.equals(msg.metadata().messageType())) {
            return next.handle(msg, ctx);
        }
        Record r = msg.content().asMap().get(SecAggPlusKey.RECORD_KEY_CONFIGS);
        if (!(r instanceof ConfigRecord configs)) {
            throw new SecAggPlusException("The message has no ConfigRecord '" + SecAggPlusKey.RECORD_KEY_CONFIGS
                    + "': is the ServerApp running SecAggPlusWorkflow?");
        }
        SecAggPlusState state = states.computeIfAbsent(msg.metadata().runId(), id -> new SecAggPlusState());
        synchronized (state) {
            SecAggPlusStage stage = checkStage(state.currentStage, configs);
            SecAggPlusConfigs c = SecAggPlusConfigs.check(stage, configs);
            RecordDict.Builder out = RecordDict.builder();
            Map<String, Object> res = switch (stage) {
                case SETUP -> {
                    state.nid = msg.metadata().dstNodeId();
                    yield protocol.setup(state, c);
                }
                case SHARE_KEYS -> protocol.shareKeys(state, c.publicKeys());
                case COLLECT_MASKED_VECTORS -> {
                    RecordDict reply = next.handle(msg, ctx);
                    List<Array> params = fitParameters(reply);
                    long numExamples = fitNumExamples(reply);
                    reply.asMap().forEach((k, v) -> out.add(k, v instanceof ArrayRecord
                            ? ArrayRecord.builder().build() : v));
                    yield protocol.collectMaskedVectors(state, c.bytesList(SecAggPlusKey.CIPHERTEXT_LIST),
                            c.nodeIds(SecAggPlusKey.SOURCE_LIST), numExamples, params);
                }
                case UNMASK -> {
                    Map<String, Object> m = protocol.unmask(state, c.nodeIds(SecAggPlusKey.ACTIVE_NODE_ID_LIST),
                            c.nodeIds(SecAggPlusKey.DEAD_NODE_ID_LIST));
                    state.forgetSecrets();
                    yield m;
                }
            };
            state.currentStage = stage;
            return out.add(SecAggPlusKey.RECORD_KEY_CONFIGS, ConfigRecord.of(res)).build();
        }
    }

    private static SecAggPlusStage checkStage(SecAggPlusStage current, ConfigRecord configs) {
        if (!configs.containsKey(SecAggPlusKey.STAGE)) {
            throw new SecAggPlusException("The required key '" + SecAggPlusKey.STAGE
                    + "' is missing from the ConfigRecord.");
        }
        if (!(configs.get(SecAggPlusKey.STAGE) instanceof String name)) {
            throw new SecAggPlusException("The value for the key '" + SecAggPlusKey.STAGE + "' must be of type str");
        }
        SecAggPlusStage next;
        try {
            next = SecAggPlusStage.fromWireName(name);
        } catch (IllegalArgumentException e) {
            throw new SecAggPlusException(e.getMessage());
        }
        if (next == SecAggPlusStage.SETUP) {
            if (current != SecAggPlusStage.UNMASK) {
                logger.warn("Restart from the setup stage");
            }
        } else if (next != current.next()) {
            throw new SecAggPlusException("Abort secure aggregation: expect " + current.next().wireName()
                    + " stage, but receive " + next.wireName() + " stage");
        }
        return next;
    }

    private static List<Array> fitParameters(RecordDict reply) {
        if (!(reply.asMap().get(LegacyFitHandler.FITRES_PARAMETERS) instanceof ArrayRecord arrays)) {
            throw new SecAggPlusException("the train handler's reply has no ArrayRecord '"
                    + LegacyFitHandler.FITRES_PARAMETERS + "'; SecAggPlusWorkflow needs Flower's legacy FitRes "
                    + "records (wrap the client with LegacyFitHandler)");
        }
        return new ArrayList<>(arrays.asMap().values());
    }

    private static long fitNumExamples(RecordDict reply) {
        if (!(reply.asMap().get(LegacyFitHandler.FITRES_NUM_EXAMPLES) instanceof MetricRecord m)
                || !(m.asMap().get("num_examples") instanceof Long n)) {
            throw new SecAggPlusException("the train handler's reply has no integer 'num_examples' in MetricRecord '"
                    + LegacyFitHandler.FITRES_NUM_EXAMPLES + "'");
        }
        return n;
    }

    /** Builds a {@link SecAggPlusMod}. */
    public static final class Builder {
        private Long seedValue;
        private long seed;
        private SecureRandom secure = new SecureRandom();
        private Clock clock = Clock.systemUTC();
        private KeyPairGenerator keyGenerator;

        Builder() {}

        /**
         * Sets the generator of the two key pairs of each round, e.g. from a FIPS or PKCS#11 provider; it must be
         * initialised for P-384 ({@code secp384r1}), the curve flwr's SecAgg+ uses. Default: the JDK's EC
         * generator with the {@link #optSecureRandom} source.
         *
         * @param generator the generator
         * @return this builder
         */
        public Builder optKeyPairGenerator(KeyPairGenerator generator) {
            this.keyGenerator = java.util.Objects.requireNonNull(generator, "generator");
            return this;
        }

        /**
         * Sets the seed of the stochastic rounding in the quantization (required: every random choice that may be
         * reproducible is; keys and masks are not, and never use it).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder setSeed(long seed) {
            this.seedValue = seed;
            this.seed = seed;
            return this;
        }

        /**
         * Sets the source of keys, mask seeds, Shamir coefficients and IVs (default: a new {@link SecureRandom}).
         *
         * @param random the source
         * @return this builder
         */
        public Builder optSecureRandom(SecureRandom random) {
            this.secure = java.util.Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Sets the clock of the Fernet timestamps (default: the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder optClock(Clock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the mod.
         *
         * @return the mod
         * @throws IllegalStateException if no seed was set
         */
        public SecAggPlusMod build() {
            if (seedValue == null) {
                throw new IllegalStateException("SecAggPlusMod needs setSeed(...) for its quantization rounding");
            }
            return new SecAggPlusMod(this);
        }
    }
}
