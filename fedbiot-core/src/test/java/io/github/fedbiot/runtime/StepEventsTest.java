/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.config.FedbiotConfig;
import io.github.fedbiot.fake.FakeFederation;
import io.github.fedbiot.fake.FakeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-step events a progress display counts: planned up front, reported as they happen, adding up. */
class StepEventsTest {

    /** Records the plan and every step report. */
    private static final class Steps implements RoundListener {
        long planned = -1;
        final List<String> reports = new ArrayList<>();
        long sum;

        @Override
        public void onWorkPlanned(long units) {
            planned = units;
        }

        @Override
        public void onSteps(int round, RoundPhase phase, int units) {
            assertThat(planned).as("the plan comes before the first step").isNotNegative();
            assertThat(units).isPositive();
            reports.add(round + ":" + phase.id() + ":" + units);
            sum += units;
        }
    }

    private static Steps run(FedbiotConfig config, Path out) {
        FederatedSimulation sim = new FederatedSimulation(config, new FakeModel(), FakeFederation.data(config), out);
        Steps steps = new Steps();
        sim.addListener(steps);
        sim.run(false);
        return steps;
    }

    @Test
    void everyStepIsReportedAndTheReportsAddUpToThePlan(@TempDir Path out) {
        Steps s = run(FakeFederation.config("fedbiot", 2, ""), out);

        assertThat(s.sum).isEqualTo(s.planned);
        // pre-alignment and alignment report one unit per optimizer step, clients one per local step
        assertThat(s.reports.stream().filter(r -> r.startsWith("0:pre-align:"))).hasSize(4);
        assertThat(s.reports.stream().filter(r -> r.equals("2:align:1"))).hasSize(2);
        assertThat(s.reports.stream().filter(r -> r.equals("1:train:1"))).hasSize(3 * 2);
        assertThat(s.reports).anyMatch(r -> r.startsWith("1:eval:")).anyMatch(r -> r.startsWith("2:final-eval:"));
    }

    @Test
    void droppedClientsReportTheirShareSoTheTotalStillHolds(@TempDir Path out) {
        Steps s = run(FakeFederation.config("fedot", 4, "  sample_count: 2\n  dropout_probability: 0.4"), out);

        assertThat(s.sum).isEqualTo(s.planned);
        // a dropped client's 2 planned steps arrive as one report of 2 when it is done
        assertThat(s.reports).contains("1:train:1").anyMatch(r -> r.endsWith(":train:2"));
    }
}
