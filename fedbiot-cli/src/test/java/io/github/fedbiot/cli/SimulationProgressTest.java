/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.metrics.AlignmentStats;
import io.github.fedbiot.metrics.HeldOutScores;
import io.github.fedbiot.metrics.Participation;
import io.github.fedbiot.metrics.RoundCost;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.metrics.Traffic;
import io.github.fedbiot.metrics.TrainingStats;
import io.github.fedbiot.runtime.ClientOutcome;
import io.github.fedbiot.runtime.ClientStatus;
import io.github.fedbiot.runtime.RoundPhase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulationProgressTest {

    private static String drive(boolean terminal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimulationProgress p = new SimulationProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
        p.onRunStart(1, 2, 3);
        p.onPhase(1, RoundPhase.TRAIN, 3);
        p.onClientDone(new ClientOutcome(1, "client-00", 0, 3, ClientStatus.OK, 2.5, 30));
        p.onClientDone(new ClientOutcome(1, "client-01", 1, 3, ClientStatus.DROPPED, Double.NaN, 0));
        p.onRoundEnd(new RoundRecord(1, new Participation(3, 2, 1, 0, 0), new TrainingStats(20, 2.5, 0.01, 0),
                AlignmentStats.NONE, new HeldOutScores(2.4, 11, Double.NaN), new HeldOutScores(2.3, 10, Double.NaN),
                new Traffic(8192, 4096), new RoundCost(4.0, 1, 1)));
        p.onPhase(2, RoundPhase.ALIGN, 10);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainModePrintsOneLinePerClientAndRound() {
        String s = drive(false);
        assertThat(s).doesNotContain("\r").doesNotContain("\033");
        assertThat(s).contains("round 1/2 client 1/3 client-00: ok, 30 steps, loss 2.5000")
                .contains("round 1/2 client 2/3 client-01: dropped")
                .contains("round 1/2 done in 4.0 s: train loss 2.5000, AdapEmu 2.4000, AdapFu 2.3000")
                .contains("8.0 KiB down / 4.0 KiB up per client").contains("ETA 00:00:04")
                .contains("round 2/2: align (10 steps)");
    }

    @Test
    void terminalModeRedrawsOneBarWithRateAndEta() {
        String s = drive(true);
        assertThat(s).contains("\r\033[2Kround 1/2 [").contains("client 1/3").contains("steps 30")
                .contains("loss 2.5000").contains("steps/s").contains("ETA");
    }
}
