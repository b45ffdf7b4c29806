/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.config.PrivacyConfig;
import io.github.fedbiot.fake.FakeFederation;
import io.github.fedbiot.fake.FakeModel;
import io.github.fedbiot.metrics.RoundRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulation with client-level DP: epsilon grows per round in the metrics and lands in summary.json, and the
 * noise seed is in none of the run's files.
 */
class PrivateSimulationTest {
    /** A seed no file of the run may contain: whoever knows it can subtract the noise. */
    static final long NOISE_SEED = 987_654_321_987L;

    @Test
    void reportsEpsilonPerRoundAndInTheSummary(@TempDir Path out) throws Exception {
        FedbiotConfig base = FakeFederation.config("fedbiot", 3, "  sample_count: 2");
        FedbiotConfig config = base.toBuilder().optPrivacy(new PrivacyConfig("central", "adaptive", "client", 0.05,
                0.1, 0.5, 0.2, 1.0, 1e-5, NOISE_SEED)).build();
        SimulationResult r = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config), out)
                .run(false);

        assertThat(r.completed()).isTrue();
        assertThat(r.adapterLora().isFinite()).isTrue();
        double previous = 0;
        for (RoundRecord rec : r.records().subList(1, r.records().size())) {
            assertThat(rec.privacy().epsilon()).as("round %d", rec.round()).isGreaterThan(previous).isFinite();
            assertThat(rec.privacy().noiseStddev()).isPositive();
            previous = rec.privacy().epsilon();
        }
        assertThat(r.records().get(0).privacy().epsilon()).isNaN();
        assertThat(Files.readString(out.resolve("metrics.csv")).lines().findFirst().orElseThrow())
                .endsWith("dp_epsilon,dp_clipping_norm,dp_noise_stddev,dp_clipped_updates,dp_next_clipping_norm");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("privacy").get("epsilon").asDouble()).isEqualTo(previous);
        assertThat(summary.get("privacy").get("delta").asDouble()).isEqualTo(1e-5);
        assertThat(summary.get("config").has("privacy.noise_seed")).isFalse();
        assertThat(summary.get("config").get("privacy.mechanism").asText()).isEqualTo("central");
        try (var files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("%s", f.getFileName()).doesNotContain(Long.toString(NOISE_SEED));
            }
        }
        assertThat(config.toString()).doesNotContain(Long.toString(NOISE_SEED));
    }

    @Test
    void readsThePrivacySectionAndNamesABadKey() {
        FedbiotConfig c = io.github.fedbiot.config.FedbiotConfigReader.parse("""
                privacy:
                  mechanism: local
                  clipping_side: client
                  clipping_norm: 0.5
                  noise_multiplier: 0.8
                """, true);
        assertThat(c.privacy().mechanism()).isEqualTo("local");
        assertThat(c.privacy().noiseMultiplier()).isEqualTo(0.8);
        io.github.fedbiot.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.github.fedbiot.ConfigException.class, () -> io.github.fedbiot.config.FedbiotConfigReader.parse(
                        "privacy:\n  noise: 1\n", true));
        assertThat(e.key()).isEqualTo("privacy.noise");
        assertThat(FedbiotConfig.DEFAULT.privacy().enabled()).isFalse();
    }
}
