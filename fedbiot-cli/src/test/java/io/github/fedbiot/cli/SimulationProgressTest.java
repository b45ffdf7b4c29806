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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static RoundRecord record(int round) {
        return new RoundRecord(round, new Participation(2, 2, 0, 0, 0), new TrainingStats(8, 2.5, 0.01, 0),
                AlignmentStats.NONE, new HeldOutScores(2.4, 11, Double.NaN), new HeldOutScores(2.3, 10, Double.NaN),
                new Traffic(8192, 4096), new RoundCost(1.0, 1, 1));
    }

    /** Two rounds of 2 clients x 3 steps and a slow evaluation of 8 units, one second per unit on a fake clock. */
    private static String driveSteps(ByteArrayOutputStream bytes, AtomicLong clock) {
        SimulationProgress p = new SimulationProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true,
                clock::get);
        p.onRunStart(1, 2, 2);
        p.onWorkPlanned(2 * (2 * 3 + 8));
        for (int r = 1; r <= 2; r++) {
            p.onPhase(r, RoundPhase.TRAIN, 2);
            for (int c = 0; c < 2; c++) {
                for (int s = 0; s < 3; s++) {
                    clock.addAndGet(1_000_000_000L);
                    p.onSteps(r, RoundPhase.TRAIN, 1);
                }
                p.onClientDone(new ClientOutcome(r, "client-0" + c, c, 2, ClientStatus.OK, 2.0, 3));
            }
            p.onPhase(r, RoundPhase.EVAL, 2);
            for (int e = 0; e < 8; e++) {
                // evaluation is slower per unit than training: the estimate must still not grow
                clock.addAndGet(3_000_000_000L);
                p.onSteps(r, RoundPhase.EVAL, 1);
            }
            p.onRoundEnd(record(r));
        }
        p.onRunEnd(null);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theBarMovesPerStepAndNeitherItNorTheEtaRunsBackwards() {
        String s = driveSteps(new ByteArrayOutputStream(), new AtomicLong());
        Matcher m = Pattern.compile("\\] +(\\d+)% .*?\\| steps (\\d+)/28 .*?\\| ETA (\\d\\d):(\\d\\d):(\\d\\d)")
                .matcher(s);
        List<long[]> draws = new ArrayList<>();
        while (m.find()) {
            draws.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)) * 3600 + Long.parseLong(m.group(4)) * 60 + Long.parseLong(m.group(5))});
        }
        assertThat(draws).hasSizeGreaterThan(28);
        for (int i = 1; i < draws.size(); i++) {
            assertThat(draws.get(i)[0]).as("percent at draw %d", i).isGreaterThanOrEqualTo(draws.get(i - 1)[0]);
            assertThat(draws.get(i)[1]).as("steps at draw %d", i).isGreaterThanOrEqualTo(draws.get(i - 1)[1]);
            assertThat(draws.get(i)[2]).as("ETA at draw %d", i).isLessThanOrEqualTo(draws.get(i - 1)[2]);
        }
        // one step into the run there is already a rate and an ETA (27 steps left at 1 step/s)
        assertThat(s).contains("steps 1/28 | loss - | 1.00 steps/s | ETA 00:00:27");
        assertThat(s).contains("100% eval");
    }

    @Test
    void labelsAppearOnceAndTheTableStartsOnAClearedLine() {
        String s = driveSteps(new ByteArrayOutputStream(), new AtomicLong());
        assertThat(s).doesNotContain("align | align").doesNotContain("eval | eval").doesNotContain("train | train");
        assertThat(s).contains("% train client 1/2 ok | steps");
        assertThat(s).endsWith("\r\033[2K");
        // every round line starts on a line of its own: the bar before it is erased, so nothing precedes it
        assertThat(s.lines().filter(l -> l.contains("done in"))).hasSize(2).allSatisfy(l -> assertThat(
                l.substring(l.lastIndexOf("\r\033[2K") + 5)).matches("round \\d/2 done in .*"));
    }

    @Test
    void logLinesEraseTheBarAndGetALineOfTheirOwn() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream log = bytes;
        SimulationProgress p = new SimulationProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true,
                new AtomicLong()::get);
        p.onRunStart(1, 1, 1);
        p.onWorkPlanned(10);
        p.onPhase(1, RoundPhase.TRAIN, 1);
        p.logSink(log).write("12:00:00 INFO x - aggregated\n".getBytes(StandardCharsets.UTF_8));
        String s = bytes.toString(StandardCharsets.UTF_8);
        int bar = s.indexOf("round 1/1 [");
        int logLine = s.indexOf("12:00:00 INFO");
        assertThat(bar).isPositive();
        assertThat(s.substring(bar, logLine)).endsWith("\r\033[2K");
        // the bar comes back below the log line
        assertThat(s.substring(logLine)).contains("\n\r\033[2Kround 1/1 [");
    }
}
