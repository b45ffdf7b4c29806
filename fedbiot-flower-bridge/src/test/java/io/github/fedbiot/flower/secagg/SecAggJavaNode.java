/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import io.github.fedbiot.flower.app.ClientApp;
import io.github.fedbiot.flower.app.MessageHandler;
import io.github.fedbiot.flower.app.TensorClient;
import io.github.fedbiot.flower.record.ConfigRecord;
import io.github.fedbiot.flower.record.RecordDict;
import io.github.fedbiot.flower.supernode.SuperNode;
import io.github.fedbiot.tensor.NamedTensors;
import io.github.fedbiot.tensor.Tensor;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Java SuperNode of the SecAgg+ interop tests: a client that adds {@code 0.05 (k + 1) cos(i + k)} to element i
 * and reports {@code 10 (k + 1)} examples, behind a {@link SecAggPlusMod} (plain legacy FedAvg when the instruction
 * has no SecAgg+ record). It records every secret it can see from outside the mod (the key pairs, through the
 * generator; the 32-byte seeds, through the random source; its replies) so that the logs can be searched for them.
 */
final class SecAggJavaNode implements TensorClient, AutoCloseable {
    final int k;
    final List<KeyPair> keyPairs = Collections.synchronizedList(new ArrayList<>());
    final List<byte[]> seeds = Collections.synchronizedList(new ArrayList<>());
    final List<RecordDict> replies = Collections.synchronizedList(new ArrayList<>());
    /** Milliseconds the wrapped handler took, summed by stage (collect includes the client's fit). */
    final Map<String, Long> stageMillis = new java.util.concurrent.ConcurrentHashMap<>();
    volatile NamedTensors lastReceived;
    volatile NamedTensors lastSent;
    private final AtomicReference<SuperNode> node = new AtomicReference<>();

    SecAggJavaNode(int k) {
        this.k = k;
    }

    long numExamples() {
        return 10L * (k + 1);
    }

    /** Starts the node; with {@code dropAtCollect}, it leaves the federation when asked for its masked vector. */
    SecAggJavaNode start(String superlink, boolean dropAtCollect) throws Exception {
        SecAggPlusMod mod = SecAggPlusMod.builder().setSeed(1000 + k).optSecureRandom(new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                super.nextBytes(bytes);
                if (bytes.length == 32) {
                    seeds.add(bytes.clone());
                }
            }
        }).optKeyPairGenerator(new RecordingGenerator()).build();
        MessageHandler secure = mod.wrap(LegacyFitHandler.of(this));
        MessageHandler plain = LegacyFitHandler.of(this);
        MessageHandler train = (msg, ctx) -> {
            if (!(msg.content().asMap().get(SecAggPlusKey.RECORD_KEY_CONFIGS) instanceof ConfigRecord c)) {
                long t0 = System.nanoTime();
                RecordDict r = plain.handle(msg, ctx);
                stageMillis.merge("plain_fit", (System.nanoTime() - t0) / 1_000_000, Long::sum);
                return r;
            }
            if (dropAtCollect && "collect_masked_vectors".equals(c.getString(SecAggPlusKey.STAGE))) {
                new Thread(this::close).start(); // the node goes away while it "trains"
                Thread.sleep(45_000);
                throw new IllegalStateException("node " + k + " dropped out");
            }
            long t0 = System.nanoTime();
            RecordDict r = secure.handle(msg, ctx);
            stageMillis.merge(c.getString(SecAggPlusKey.STAGE), (System.nanoTime() - t0) / 1_000_000, Long::sum);
            replies.add(r);
            return r;
        };
        node.set(SuperNode.builder().setSuperlink(superlink).optInsecure(true)
                .setClientApp(ClientApp.builder().optTrain(train).build()).optPollInterval(Duration.ofMillis(100))
                .optNodeConfig(Map.of("partition-id", (long) k)).build().start());
        return this;
    }

    SuperNode node() {
        return node.get();
    }

    @Override
    public FitResult fit(NamedTensors parameters, ConfigRecord config) {
        NamedTensors.Builder b = NamedTensors.builder();
        parameters.asMap().forEach((name, t) -> {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (0.05 * (k + 1) * Math.cos(i + k));
            }
            b.add(name, new Tensor(t.shape(), d));
        });
        lastReceived = parameters;
        lastSent = b.build();
        return new FitResult(lastSent, numExamples(), Map.of("impl", "java"));
    }

    @Override
    public void close() {
        SuperNode n = node.get();
        if (n != null) {
            n.close();
        }
    }

    /** The JDK's P-384 generator, recording what it makes. */
    private final class RecordingGenerator extends KeyPairGenerator {
        private final KeyPairGenerator real;

        RecordingGenerator() throws Exception {
            super("EC");
            real = KeyPairGenerator.getInstance("EC");
            real.initialize(new ECGenParameterSpec("secp384r1"));
        }

        @Override
        public void initialize(int keysize, SecureRandom random) {
            real.initialize(keysize, random);
        }

        @Override
        public KeyPair generateKeyPair() {
            KeyPair p = real.generateKeyPair();
            keyPairs.add(p);
            return p;
        }
    }
}
