/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.fedbiot.ConfigException;
import org.junit.jupiter.api.Test;

class AggregationConfigTest {

    private static AggregationConfig read(String server) {
        return FedbiotConfigReader.parse("server: " + server, true).server().aggregation();
    }

    @Test
    void defaultIsFedAvg() {
        assertThat(FedbiotConfig.DEFAULT.server().aggregation()).isEqualTo(AggregationConfig.FEDAVG);
        assertThat(read("{align_steps: 3}")).isEqualTo(AggregationConfig.FEDAVG);
    }

    @Test
    void readsEachRule() {
        assertThat(read("{aggregator: median}").kind()).isEqualTo(AggregatorKind.MEDIAN);
        assertThat(read("{aggregator: trimmed_mean}").trimFraction())
                .isEqualTo(AggregationConfig.DEFAULT_TRIM_FRACTION);
        assertThat(read("{aggregator: trimmed_mean, trim_fraction: 0.25}").trimFraction()).isEqualTo(0.25);
        assertThat(read("{aggregator: norm_bound, norm_bound: 1.5}").normBound()).isEqualTo(1.5);
    }

    @Test
    void refusesBadOrMisplacedKeysNamingThem() {
        assertThatThrownBy(() -> read("{aggregator: krum}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.aggregator: unknown aggregator 'krum'");
        assertThatThrownBy(() -> read("{aggregator: trimmed_mean, trim_fraction: 0.5}"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("server.trim_fraction: must be in (0, 0.5)");
        assertThatThrownBy(() -> read("{aggregator: norm_bound}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("server.norm_bound: is required");
        assertThatThrownBy(() -> read("{aggregator: norm_bound, norm_bound: -1}"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("server.norm_bound: must be");
        assertThatThrownBy(() -> read("{aggregator: median, trim_fraction: 0.2}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("applies only to server.aggregator: "
                        + "trimmed_mean");
        assertThatThrownBy(() -> read("{trim_fraction: 0.2}")).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("server.trim_fraction");
        assertThatThrownBy(() -> read("{norm_bound: 3}")).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("server.norm_bound");
    }

    @Test
    void roundTripsThroughJson() {
        for (String s : new String[] {"{aggregator: median}", "{aggregator: trimmed_mean, trim_fraction: 0.3}",
            "{aggregator: norm_bound, norm_bound: 2.5}", "{}"}) {
            FedbiotConfig c = FedbiotConfigReader.parse("server: " + s, true);
            String json = FedbiotConfigReader.toJson(c);
            assertThat(FedbiotConfigReader.parse(json, false)).isEqualTo(c);
        }
        FedbiotConfig nb = FedbiotConfigReader.parse("server: {aggregator: norm_bound, norm_bound: 2.5}", true);
        assertThat(FedbiotConfigReader.flatten(nb)).containsEntry("server.aggregator", "norm_bound")
                .containsEntry("server.norm_bound", "2.5").doesNotContainKey("server.trim_fraction");
    }
}
