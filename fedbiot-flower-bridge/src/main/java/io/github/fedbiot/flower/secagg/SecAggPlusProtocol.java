/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import static io.github.fedbiot.flower.secagg.SecAggPlusKey.CIPHERTEXT_LIST;
import static io.github.fedbiot.flower.secagg.SecAggPlusKey.DESTINATION_LIST;
import static io.github.fedbiot.flower.secagg.SecAggPlusKey.MASKED_PARAMETERS;
import static io.github.fedbiot.flower.secagg.SecAggPlusKey.NODE_ID_LIST;
import static io.github.fedbiot.flower.secagg.SecAggPlusKey.PUBLIC_KEY_1;
import static io.github.fedbiot.flower.secagg.SecAggPlusKey.PUBLIC_KEY_2;
import static io.github.fedbiot.flower.secagg.SecAggPlusKey.SHARE_LIST;

import io.github.fedbiot.flower.record.Array;
import io.github.fedbiot.flower.record.NumpyDType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four stages of the SecAgg+ client as {@code secaggplus_mod}'s {@code _setup}, {@code _share_keys},
 * {@code _collect_masked_vectors} and {@code _unmask} compute them, on validated configs. Each returns the
 * entries of the reply's {@code secaggplus_configs} record.
 *
 * <p>A node's upload in the collect stage is {@code [q, quantize(dq * x)] + b + sum_j (+/-) s_ij (mod M)}, with
 * {@code q = round(n / max_weight * Q)}, {@code dq = q / Q}, the self mask {@code b} from the private seed and
 * the pairwise masks {@code s_ij} from the key shared with each neighbour j (added if this node's id is the
 * larger, else subtracted), so that the pairwise masks cancel in the ServerApp's sum.
 */
final class SecAggPlusProtocol {
    private static final Logger logger = LoggerFactory.getLogger(SecAggPlusProtocol.class);

    private final SecureRandom secure;
    private final Supplier<KeyPair> keys;
    private final RandomGenerator rounding;
    private final Clock clock;

    SecAggPlusProtocol(SecureRandom secure, Supplier<KeyPair> keys, RandomGenerator rounding, Clock clock) {
        this.secure = secure;
        this.keys = keys;
        this.rounding = rounding;
        this.clock = clock;
    }

    Map<String, Object> setup(SecAggPlusState s, SecAggPlusConfigs c) {
        logger.debug("Node {}: starting stage 0...", Long.toUnsignedString(s.nid));
        s.shareNum = c.getLong(SecAggPlusKey.SHARE_NUMBER);
        s.threshold = c.getLong(SecAggPlusKey.THRESHOLD);
        s.clippingRange = c.getDouble(SecAggPlusKey.CLIPPING_RANGE);
        s.targetRange = c.getLong(SecAggPlusKey.TARGET_RANGE);
        s.modRange = c.getLong(SecAggPlusKey.MOD_RANGE);
        s.maxWeight = c.getDouble(SecAggPlusKey.MAX_WEIGHT);
        s.forgetSecrets();
        s.publicKeys.clear();
        s.keys1 = p384(keys.get());
        s.keys2 = p384(keys.get());
        s.pk1 = EcKeys.publicKeyToPem(s.keys1.getPublic());
        s.pk2 = EcKeys.publicKeyToPem(s.keys2.getPublic());
        s.sk1Pem = EcKeys.privateKeyToPem(s.keys1.getPrivate());
        logger.debug("Node {}: stage 0 completes. uploading public keys...", Long.toUnsignedString(s.nid));
        return Map.of(PUBLIC_KEY_1, s.pk1, PUBLIC_KEY_2, s.pk2);
    }

    Map<String, Object> shareKeys(SecAggPlusState s, Map<Long, byte[][]> keys) {
        logger.debug("Node {}: starting stage 1...", Long.toUnsignedString(s.nid));
        s.publicKeys.clear();
        s.publicKeys.putAll(keys);
        if (keys.size() < s.threshold) {
            throw new SecAggPlusException("Available neighbours number smaller than threshold");
        }
        if (keys.size() > s.shareNum) {
            throw new SecAggPlusException("received " + keys.size() + " neighbours' keys but share_num is "
                    + s.shareNum);
        }
        Set<ByteBuffer> unique = new HashSet<>();
        keys.values().forEach(p -> {
            unique.add(ByteBuffer.wrap(p[0]));
            unique.add(ByteBuffer.wrap(p[1]));
        });
        if (unique.size() != 2 * keys.size()) {
            throw new SecAggPlusException("Some public keys are identical");
        }
        byte[][] own = keys.get(s.nid);
        if (own == null || !java.util.Arrays.equals(own[0], s.pk1) || !java.util.Arrays.equals(own[1], s.pk2)) {
            throw new SecAggPlusException("Own public keys are displayed in dict incorrectly, should not happen!");
        }
        s.rdSeed = new byte[32];
        secure.nextBytes(s.rdSeed);
        List<byte[]> bShares = SecretShares.create(s.rdSeed, (int) s.threshold, (int) s.shareNum, secure);
        List<byte[]> skShares = SecretShares.create(s.sk1Pem, (int) s.threshold, (int) s.shareNum, secure);
        List<Long> dsts = new ArrayList<>();
        List<byte[]> ciphertexts = new ArrayList<>();
        int idx = 0;
        for (Map.Entry<Long, byte[][]> e : keys.entrySet()) {
            long nid = e.getKey();
            if (nid == s.nid) {
                s.rdSeedShares.put(nid, bShares.get(idx));
                s.sk1Shares.put(nid, skShares.get(idx));
            } else {
                byte[] shared = SharedKeys.generate(s.keys2.getPrivate(), EcKeys.pemToPublicKey(e.getValue()[1]));
                s.ss2.put(nid, shared);
                byte[] plaintext = new ShareKeysPlaintext(s.nid, nid, bShares.get(idx), skShares.get(idx)).toBytes();
                ciphertexts.add(new Fernet(shared).encrypt(plaintext, secure, clock));
                java.util.Arrays.fill(plaintext, (byte) 0);
                dsts.add(nid);
            }
            idx++;
        }
        logger.debug("Node {}: stage 1 completes. uploading key shares...", Long.toUnsignedString(s.nid));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(DESTINATION_LIST, SecAggPlusConfigs.nodeIdList(dsts));
        out.put(CIPHERTEXT_LIST, ciphertexts);
        return out;
    }

    Map<String, Object> collectMaskedVectors(SecAggPlusState s, List<byte[]> ciphertexts, List<Long> srcs,
            long numExamples, List<Array> parameters) {
        logger.debug("Node {}: starting stage 2...", Long.toUnsignedString(s.nid));
        if (ciphertexts.size() + 1 < s.threshold) {
            throw new SecAggPlusException("Not enough available neighbour clients.");
        }
        if (ciphertexts.size() != srcs.size()) {
            throw new SecAggPlusException(ciphertexts.size() + " ciphertexts but " + srcs.size() + " sources");
        }
        List<Long> available = new ArrayList<>();
        for (int i = 0; i < srcs.size(); i++) {
            long src = srcs.get(i);
            byte[] shared = s.ss2.get(src);
            if (shared == null) {
                throw new SecAggPlusException("Node " + Long.toUnsignedString(s.nid) + ": received a ciphertext from "
                        + Long.toUnsignedString(src) + ", which is not a neighbour");
            }
            ShareKeysPlaintext p;
            try {
                p = ShareKeysPlaintext.parse(new Fernet(shared).decrypt(ciphertexts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new SecAggPlusException("Node " + Long.toUnsignedString(s.nid) + ": the ciphertext from "
                        + Long.toUnsignedString(src) + " does not decrypt: " + e.getMessage());
            }
            available.add(src);
            if (p.src() != src) {
                throw new SecAggPlusException("Node " + Long.toUnsignedString(s.nid) + ": received ciphertext from "
                        + Long.toUnsignedString(p.src()) + " instead of " + Long.toUnsignedString(src) + ".");
            }
            if (p.dst() != s.nid) {
                throw new SecAggPlusException("Node " + Long.toUnsignedString(s.nid) + ": received an encrypted "
                        + "message for Node " + Long.toUnsignedString(p.dst()) + " from Node "
                        + Long.toUnsignedString(src) + ".");
            }
            s.rdSeedShares.put(src, p.seedShare());
            s.sk1Shares.put(src, p.keyShare());
        }
        double ratio = numExamples / s.maxWeight;
        if (ratio > 1) {
            logger.warn("Potential overflow warning: the provided weight ({}) exceeds the specified max_weight ({}). "
                    + "This may lead to overflow issues.", numExamples, s.maxWeight);
        }
        long qRatio = (long) Math.rint(ratio * s.targetRange); // Python's round(): half to even
        double dqRatio = (double) qRatio / s.targetRange;
        List<long[]> vectors = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        vectors.add(new long[] {qRatio});
        shapes.add(new int[] {1});
        for (Array a : parameters) {
            double[] x = a.toDoubles();
            for (int i = 0; i < x.length; i++) {
                x[i] *= dqRatio;
            }
            synchronized (rounding) { // one generator for all runs of this node
                vectors.add(Quantizer.quantize(x, s.clippingRange, s.targetRange, rounding));
            }
            shapes.add(a.shape());
        }
        List<Integer> sizes = vectors.stream().map(v -> v.length).toList();
        addMask(vectors, PseudoRandGen.generate(s.rdSeed, s.modRange, sizes), 1);
        for (long nid : available) {
            byte[] shared = SharedKeys.generate(s.keys1.getPrivate(), EcKeys.pemToPublicKey(s.publicKeys.get(nid)[0]));
            addMask(vectors, PseudoRandGen.generate(shared, s.modRange, sizes),
                    Long.compareUnsigned(s.nid, nid) > 0 ? 1 : -1);
            java.util.Arrays.fill(shared, (byte) 0);
        }
        List<byte[]> masked = new ArrayList<>(vectors.size());
        for (int a = 0; a < vectors.size(); a++) {
            long[] v = vectors.get(a);
            ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long x : v) {
                b.putLong(mod(x, s.modRange));
            }
            masked.add(Array.ofRaw(NumpyDType.INT64, shapes.get(a), b.array()).npyBytes());
        }
        logger.debug("Node {}: stage 2 completed, uploading masked parameters...", Long.toUnsignedString(s.nid));
        return Map.of(MASKED_PARAMETERS, masked);
    }

    Map<String, Object> unmask(SecAggPlusState s, List<Long> active, List<Long> dead) {
        logger.debug("Node {}: starting stage 3...", Long.toUnsignedString(s.nid));
        if (active.size() < s.threshold) {
            throw new SecAggPlusException("Available neighbours number smaller than threshold");
        }
        List<Long> nids = new ArrayList<>(active);
        nids.addAll(dead);
        List<byte[]> shares = new ArrayList<>(nids.size());
        for (long nid : active) {
            shares.add(share(s.rdSeedShares, nid, "mask seed"));
        }
        for (long nid : dead) {
            shares.add(share(s.sk1Shares, nid, "private key"));
        }
        logger.debug("Node {}: stage 3 completes. uploading key shares...", Long.toUnsignedString(s.nid));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(NODE_ID_LIST, SecAggPlusConfigs.nodeIdList(nids));
        out.put(SHARE_LIST, shares);
        return out;
    }

    private static KeyPair p384(KeyPair pair) {
        if (!(pair.getPublic() instanceof ECPublicKey k) || k.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new SecAggPlusException("the key pair generator must make EC keys on P-384 (secp384r1), as flwr's "
                    + "SecAgg+ does; got " + pair.getPublic().getAlgorithm());
        }
        return pair;
    }

    private static byte[] share(Map<Long, byte[]> shares, long nid, String what) {
        byte[] b = shares.get(nid);
        if (b == null) {
            throw new SecAggPlusException("no " + what + " share of node " + Long.toUnsignedString(nid)
                    + ": it did not share with this node");
        }
        return b.clone();
    }

    private static void addMask(List<long[]> vectors, List<long[]> mask, int sign) {
        for (int a = 0; a < vectors.size(); a++) {
            long[] v = vectors.get(a);
            long[] m = mask.get(a);
            for (int i = 0; i < v.length; i++) {
                v[i] += sign * m[i];
            }
        }
    }

    /** As {@code parameters_mod}: a bit mask for a power of two, else the floor modulus of Python's {@code %}. */
    static long mod(long x, long m) {
        return Long.bitCount(m) == 1 ? x & (m - 1) : Math.floorMod(x, m);
    }
}
