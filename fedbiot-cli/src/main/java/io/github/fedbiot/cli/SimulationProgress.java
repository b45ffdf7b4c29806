/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.runtime.ClientOutcome;
import io.github.fedbiot.runtime.RoundListener;
import io.github.fedbiot.runtime.RoundPhase;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows the progress of a simulation: on a terminal a one-line bar redrawn in place (round, client, local steps,
 * last loss, rate in steps per second and the ETA); elsewhere (CI, pipes, files) one plain line per client and
 * per round, so logs stay readable.
 */
final class SimulationProgress implements RoundListener {
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private long runStartNanos;
    private int firstRound;
    private int lastRound;
    private int round;
    private String phase = "";
    private long stepsDone;
    private double lastLoss = Double.NaN;
    private int roundsDone;
    private double roundSecondsSum;

    /**
     * Creates the display.
     *
     * @param out where to draw (standard error)
     * @param terminal whether to draw a bar in place (a terminal, not CI) or print plain lines
     */
    SimulationProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Returns whether the process runs on an interactive terminal outside CI.
     *
     * @return true when a bar can be drawn
     */
    static boolean isInteractiveTerminal() {
        String ci = System.getenv("CI");
        return System.console() != null && (ci == null || ci.isEmpty() || ci.equalsIgnoreCase("false"));
    }

    @Override
    public void onRunStart(int first, int last, int clients) {
        runStartNanos = System.nanoTime();
        firstRound = first;
        lastRound = last;
        line(String.format(Locale.ROOT, "simulating rounds %d..%d with %d clients", first, last, clients), true);
    }

    @Override
    public void onPhase(int r, RoundPhase p, int units) {
        round = r;
        phase = p.id();
        if (terminal) {
            draw(p.id(), 0, 0);
        } else if (p != RoundPhase.TRAIN) {
            line(String.format(Locale.ROOT, "round %d/%d: %s (%d %s)", r, lastRound, p.id(), units,
                    p.isAlignment() ? "steps" : "units"), true);
        }
    }

    @Override
    public void onClientDone(ClientOutcome c) {
        stepsDone += c.steps();
        if (Double.isFinite(c.loss())) {
            lastLoss = c.loss();
        }
        if (terminal) {
            draw(c.clientId() + " " + c.status().id(), c.index() + 1, c.sampled());
        } else {
            line(String.format(Locale.ROOT, "round %d/%d client %d/%d %s: %s, %d steps, loss %.4f, %.2f steps/s",
                    c.round(), lastRound, c.index() + 1, c.sampled(), c.clientId(), c.status().id(), c.steps(),
                    c.loss(), rate()), true);
        }
    }

    @Override
    public void onRoundEnd(RoundRecord r) {
        if (r.round() > 0) {
            roundsDone++;
            roundSecondsSum += r.cost().wallSeconds();
        }
        String msg = String.format(Locale.ROOT, "round %d/%d done in %.1f s: train loss %s, AdapEmu %s, AdapFu %s,"
                + " NL2 %s, %d/%d updates, %s down / %s up per client, ETA %s", r.round(), lastRound,
                r.cost().wallSeconds(), fmt(r.training().loss()), fmt(r.emu().loss()), fmt(r.fu().loss()),
                fmt(r.alignment().nl2()), r.clients().completed() - r.clients().rejected(), r.clients().sampled(),
                bytes(r.traffic().downPerClient()), bytes(r.traffic().upPerClient()), eta(0));
        if (terminal) {
            out.print("\r\033[2K");
        }
        line(msg, true);
    }

    private void draw(String what, int clientIndex, int clients) {
        int total = Math.max(1, lastRound - firstRound + 1);
        double frac = (roundsDone + (clients == 0 ? 0 : (double) clientIndex / clients)) / total;
        int filled = (int) Math.round(frac * BAR_WIDTH);
        String bar = "#".repeat(Math.max(0, Math.min(BAR_WIDTH, filled)))
                + ".".repeat(Math.max(0, BAR_WIDTH - filled));
        String s = String.format(Locale.ROOT, "\r\033[2Kround %d/%d [%s] %s%s | %s | steps %d | loss %s | %.2f steps/s"
                + " | ETA %s", round, lastRound, bar, phase, clients > 0 ? " client " + clientIndex + "/" + clients : "",
                what, stepsDone, fmt(lastLoss), rate(), eta(clients == 0 ? 0 : (double) clientIndex / clients));
        out.print(s);
        out.flush();
    }

    private double rate() {
        double secs = (System.nanoTime() - runStartNanos) / 1e9;
        return secs <= 0 ? 0 : stepsDone / secs;
    }

    private String eta(double partOfCurrentRound) {
        int remaining = lastRound - firstRound + 1 - roundsDone;
        if (roundsDone == 0 || remaining <= 0) {
            return remaining <= 0 ? "00:00:00" : "--:--:--";
        }
        double perRound = roundSecondsSum / roundsDone;
        long secs = Math.round(perRound * Math.max(0, remaining - partOfCurrentRound));
        return String.format(Locale.ROOT, "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
    }

    private void line(String s, boolean newline) {
        out.print(newline ? s + System.lineSeparator() : s);
        out.flush();
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MiB", b / (1024.0 * 1024));
    }
}
