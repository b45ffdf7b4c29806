/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.secagg;

import static io.github.fedbiot.flower.secagg.SecAggReference.HEX;
import static io.github.fedbiot.flower.secagg.SecAggReference.JSON;
import static io.github.fedbiot.flower.secagg.SecAggReference.newCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each SecAgg+ primitive against flwr 1.42.0's own Python code, byte for byte: the NumPy masks, pycryptodome's
 * Shamir shares (same random coefficients, same shares), flwr's share layout both ways, ECDH + HKDF both ways
 * (and Python loading this node's private key PEM, as the ServerApp does for a dropped node), Fernet both ways,
 * the share-keys plaintext and the quantization (same rounding draws, same integers).
 */
class SecAggPrimitivesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<int[]> SHAPES = List.of(new int[] {1}, new int[] {3, 4}, new int[] {700});
    private static final long[] RANGES = {1L << 32, 1L << 33, 1000};
    private static final long BIG_NODE = 0xf234_5678_9abc_def0L;

    static byte[] seed32 = new byte[32];
    static byte[] seed44;
    static byte[] secret16 = new byte[16];
    static List<byte[]> coeffs = new ArrayList<>();
    static byte[] pemSecret;
    static KeyPair javaKeys;
    static byte[] fernetKey;
    static byte[] plaintext = "a share, and another".getBytes(StandardCharsets.UTF_8);
    static double[] qValues = {-9.0, -8.0, -1.234567, 0.0, 0.5, 3.999, 7.9999, 8.0, 100.0};
    static double[] qRand = {0.1, 0.9, 0.5, 0.3, 0.7, 0.01, 0.99, 0.5, 0.2};
    static JsonNode py;
    static byte[] pyFernetToken;
    static byte[] javaFernetToken;
    static List<byte[]> javaShares;

    @BeforeAll
    static void askPython() throws Exception {
        RANDOM.nextBytes(seed32);
        RANDOM.nextBytes(secret16);
        javaKeys = EcKeys.generate(RANDOM);
        pemSecret = EcKeys.privateKeyToPem(EcKeys.generate(RANDOM).getPrivate());
        seed44 = SharedKeys.generate(javaKeys.getPrivate(), EcKeys.generate(RANDOM).getPublic());
        fernetKey = seed44;
        javaFernetToken = new Fernet(fernetKey).encrypt(plaintext, RANDOM, Clock.systemUTC());
        javaShares = SecretShares.create(pemSecret, 3, 5, RANDOM);
        ArrayNode cases = JSON.createArrayNode();
        for (byte[] seed : List.of(seed32, seed44)) {
            for (long range : RANGES) {
                ArrayNode shapes = newCase(cases, "prg").put("seed", HEX.formatHex(seed)).put("num_range", range)
                        .putArray("shapes");
                SHAPES.forEach(s -> Arrays.stream(s).forEach(shapes.addArray()::add));
            }
        }
        ArrayNode c = newCase(cases, "shamir_split").put("k", 3).put("n", 5).put("secret", HEX.formatHex(secret16))
                .putArray("coeffs");
        for (int i = 0; i < 2; i++) {
            byte[] b = new byte[16];
            RANDOM.nextBytes(b);
            coeffs.add(b);
            c.add(HEX.formatHex(b));
        }
        newCase(cases, "create_shares").put("secret", HEX.formatHex(pemSecret)).put("k", 3).put("n", 5);
        ArrayNode shares = newCase(cases, "combine_shares").putArray("shares");
        javaShares.subList(1, 4).forEach(s -> shares.add(HEX.formatHex(s)));
        newCase(cases, "keypair");
        newCase(cases, "pk_of_sk").put("sk", HEX.formatHex(EcKeys.privateKeyToPem(javaKeys.getPrivate())));
        newCase(cases, "encrypt").put("key", HEX.formatHex(fernetKey)).put("plaintext", HEX.formatHex(plaintext));
        newCase(cases, "decrypt").put("key", HEX.formatHex(fernetKey)).put("token", HEX.formatHex(javaFernetToken));
        newCase(cases, "plaintext_concat").put("src", Long.toUnsignedString(BIG_NODE)).put("dst", 7)
                .put("b", HEX.formatHex(seed32)).put("sk", HEX.formatHex(pemSecret));
        var q = newCase(cases, "quantize").put("clip", 8.0).put("target", 1 << 22);
        Arrays.stream(qValues).forEach(q.putArray("values")::add);
        Arrays.stream(qRand).forEach(q.putArray("rand")::add);
        py = SecAggReference.run(cases);
    }

    @Test
    void masksEqualNumpyRandomState() {
        int i = 0;
        for (byte[] seed : List.of(seed32, seed44)) {
            for (long range : RANGES) {
                List<long[]> java = PseudoRandGen.generate(seed, range,
                        SHAPES.stream().map(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b)).toList());
                JsonNode expected = py.get(i++);
                for (int a = 0; a < java.size(); a++) {
                    long[] want = new long[expected.get(a).size()];
                    for (int k = 0; k < want.length; k++) {
                        want[k] = expected.get(a).get(k).asLong();
                    }
                    assertThat(java.get(a)).as("seed %d bytes, range %d, array %d", seed.length, range, a)
                            .containsExactly(want);
                }
            }
        }
    }

    @Test
    void shamirSplitEqualsPycryptodomeForTheSameCoefficients() {
        List<byte[]> fixed = new ArrayList<>(coeffs);
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(fixed.remove(0), 0, bytes, 0, 16);
            }
        };
        List<byte[]> java = Shamir.split(3, 5, secret16, replay);
        JsonNode expected = py.get(6);
        for (int i = 0; i < 5; i++) {
            assertThat(HEX.formatHex(java.get(i))).isEqualTo(expected.get(i).asText());
        }
        long[] idx = {5, 2, 4};
        assertThat(Shamir.combine(idx, List.of(java.get(4), java.get(1), java.get(3)))).isEqualTo(secret16);
    }

    @Test
    void secretSharesCombineBothWays() {
        List<byte[]> fromPython = new ArrayList<>();
        py.get(7).forEach(s -> fromPython.add(HEX.parseHex(s.asText())));
        assertThat(fromPython.get(0)).hasSize(javaShares.get(0).length);
        assertThat(SecretShares.combine(List.of(fromPython.get(0), fromPython.get(2), fromPython.get(4))))
                .isEqualTo(pemSecret);
        assertThat(HEX.parseHex(py.get(8).asText())).isEqualTo(pemSecret);
        assertThat(javaShares.get(3)).startsWith(4, 0, 0, 0);
        assertThatThrownBy(() -> SecretShares.combine(List.of(javaShares.get(0), javaShares.get(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Failed to combine shares");
    }

    @Test
    void keyAgreementAndPemMatchCryptography() throws Exception {
        byte[] pySk = HEX.parseHex(py.get(9).get("sk").asText());
        byte[] pyPk = HEX.parseHex(py.get(9).get("pk").asText());
        // The ServerApp re-derives the public key from this node's private key PEM: same PEM bytes as ours.
        assertThat(new String(HEX.parseHex(py.get(10).asText()), StandardCharsets.US_ASCII))
                .isEqualTo(new String(EcKeys.publicKeyToPem(javaKeys.getPublic()), StandardCharsets.US_ASCII));
        byte[] java = SharedKeys.generate(javaKeys.getPrivate(), EcKeys.pemToPublicKey(pyPk));
        ArrayNode cases = JSON.createArrayNode();
        newCase(cases, "shared_key").put("sk", HEX.formatHex(pySk))
                .put("pk", HEX.formatHex(EcKeys.publicKeyToPem(javaKeys.getPublic())));
        newCase(cases, "shared_key").put("sk", HEX.formatHex(EcKeys.privateKeyToPem(javaKeys.getPrivate())))
                .put("pk", HEX.formatHex(pyPk));
        JsonNode r = SecAggReference.run(cases);
        assertThat(HEX.formatHex(java)).isEqualTo(r.get(0).asText()).isEqualTo(r.get(1).asText());
        assertThat(java).hasSize(44);
        // and the Python private key reads back in the JDK (PKCS#8 as the JDK writes it too)
        String body = new String(pySk, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey pk = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(body)));
        assertThat(HEX.formatHex(SharedKeys.generate(pk, javaKeys.getPublic()))).isEqualTo(HEX.formatHex(java));
    }

    @Test
    void fernetBothWays() {
        byte[] pyToken = HEX.parseHex(py.get(11).asText());
        assertThat(new Fernet(fernetKey).decrypt(pyToken)).isEqualTo(plaintext);
        assertThat(HEX.parseHex(py.get(12).asText())).isEqualTo(plaintext);
        byte[] tampered = Base64.getUrlDecoder().decode(javaFernetToken);
        tampered[30] ^= 1;
        assertThatThrownBy(() -> new Fernet(fernetKey).decrypt(Base64.getUrlEncoder().encode(tampered)))
                .hasMessage("invalid Fernet token: HMAC does not verify");
    }

    @Test
    void shareKeysPlaintextMatches() {
        ShareKeysPlaintext p = new ShareKeysPlaintext(BIG_NODE, 7, seed32, pemSecret);
        assertThat(HEX.formatHex(p.toBytes())).isEqualTo(py.get(13).asText());
        ShareKeysPlaintext back = ShareKeysPlaintext.parse(p.toBytes());
        assertThat(back.src()).isEqualTo(BIG_NODE);
        assertThat(back.seedShare()).isEqualTo(seed32);
        assertThat(back.keyShare()).isEqualTo(pemSecret);
        assertThat(back.toString()).doesNotContain(HEX.formatHex(seed32).substring(0, 8));
    }

    @Test
    void quantizationMatchesForTheSameDraws() {
        int[] at = {0};
        RandomGenerator replay = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return qRand[at[0]++];
            }
        };
        long[] java = Quantizer.quantize(qValues, 8.0, 1 << 22, replay);
        long[] want = new long[qValues.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = py.get(14).get(i).asLong();
        }
        assertThat(java).containsExactly(want);
    }
}
