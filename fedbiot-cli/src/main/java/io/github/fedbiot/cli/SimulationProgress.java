/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.runtime.ClientOutcome;
import io.github.fedbiot.runtime.RoundListener;
import io.github.fedbiot.runtime.RoundPhase;
import io.github.fedbiot.runtime.SimulationResult;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows the progress of a simulation: on a terminal a one-line bar redrawn in place as steps complete (round,
 * phase, client, steps done of the run's total, last loss, rate and ETA); elsewhere (CI, pipes, files) one
 * plain line per phase, client and round, so logs stay readable. The run's total work is known before the first
 * step ({@link RoundListener#onWorkPlanned}) and only grows done, so neither the bar nor the ETA runs backwards.
 * Log lines written through {@link #logSink} erase the bar first, so they never share its line.
 */
final class SimulationProgress implements RoundListener {
    private static final int BAR_WIDTH = 24;
    private static final String ERASE = "\r\033[2K";
    /** Redraws on step reports at most this often; phase, client and round events always redraw. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private long runStartNanos;
    private long lastDrawNanos;
    private boolean barShown;
    private int firstRound;
    private int lastRound;
    private int round;
    private RoundPhase phase;
    private String client = "";
    private long planned;
    private long done;
    private long clientSteps;
    private double lastLoss = Double.NaN;
    private int roundsDone;
    private double roundSecondsSum;
    private long shownEtaSeconds = Long.MAX_VALUE;

    /**
     * Creates the display on the system clock.
     *
     * @param out where to draw (standard error)
     * @param terminal whether to draw a bar in place (a terminal, not CI) or print plain lines
     */
    SimulationProgress(PrintStream out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    /**
     * Creates the display.
     *
     * @param out where to draw
     * @param terminal whether to draw a bar in place or print plain lines
     * @param nanoClock the time source of rate and ETA, in nanoseconds
     */
    SimulationProgress(PrintStream out, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    /**
     * Returns whether the process runs on an interactive terminal outside CI.
     *
     * @return true when a bar can be drawn
     */
    static boolean isInteractiveTerminal() {
        String ci = System.getenv("CI");
        String term = System.getenv("TERM");
        return System.console() != null && !"dumb".equals(term)
                && (ci == null || ci.isEmpty() || ci.equalsIgnoreCase("false"));
    }

    /**
     * Returns a stream for log output to {@code target} that erases the bar before each write and redraws it
     * after a complete line, so that log lines get lines of their own.
     *
     * @param target where the log lines go (the terminal)
     * @return the stream
     */
    OutputStream logSink(OutputStream target) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (SimulationProgress.this) {
                    if (barShown) {
                        out.print(ERASE);
                        out.flush();
                        barShown = false;
                    }
                    try {
                        target.write(b, off, len);
                        target.flush();
                    } catch (java.io.IOException e) {
                        return;
                    }
                    if (terminal && phase != null && len > 0 && b[off + len - 1] == '\n') {
                        draw();
                    }
                }
            }
        };
    }

    @Override
    public synchronized void onRunStart(int first, int last, int clients) {
        runStartNanos = nanoClock.getAsLong();
        firstRound = first;
        lastRound = last;
        line(String.format(Locale.ROOT, "simulating rounds %d..%d with %d clients", first, last, clients));
    }

    @Override
    public synchronized void onWorkPlanned(long units) {
        planned = units;
    }

    @Override
    public synchronized void onPhase(int r, RoundPhase p, int units) {
        round = r;
        phase = p;
        client = "";
        if (terminal) {
            draw();
        } else if (p != RoundPhase.TRAIN) {
            line(String.format(Locale.ROOT, "round %d/%d: %s (%d %s)", r, lastRound, p.id(), units,
                    p.isAlignment() ? "steps" : "units"));
        }
    }

    @Override
    public synchronized void onSteps(int r, RoundPhase p, int units) {
        done += units;
        if (terminal && nanoClock.getAsLong() - lastDrawNanos >= REDRAW_NANOS) {
            draw();
        }
    }

    @Override
    public synchronized void onClientDone(ClientOutcome c) {
        clientSteps += c.steps();
        if (Double.isFinite(c.loss())) {
            lastLoss = c.loss();
        }
        if (terminal) {
            client = String.format(Locale.ROOT, " client %d/%d %s", c.index() + 1, c.sampled(), c.status().id());
            draw();
        } else {
            line(String.format(Locale.ROOT, "round %d/%d client %d/%d %s: %s, %d steps, loss %.4f, %.2f steps/s",
                    c.round(), lastRound, c.index() + 1, c.sampled(), c.clientId(), c.status().id(), c.steps(),
                    c.loss(), rate()));
        }
    }

    @Override
    public synchronized void onRoundEnd(RoundRecord r) {
        if (r.round() > 0) {
            roundsDone++;
            roundSecondsSum += r.cost().wallSeconds();
        }
        erase();
        line(String.format(Locale.ROOT, "round %d/%d done in %.1f s: train loss %s, AdapEmu %s, AdapFu %s,"
                + " NL2 %s, %d/%d updates, %s down / %s up per client, ETA %s", r.round(), lastRound,
                r.cost().wallSeconds(), fmt(r.training().loss()), fmt(r.emu().loss()), fmt(r.fu().loss()),
                fmt(r.alignment().nl2()), r.clients().completed() - r.clients().rejected(), r.clients().sampled(),
                bytes(r.traffic().downPerClient()), bytes(r.traffic().upPerClient()), eta()));
        if (terminal) {
            draw();
        }
    }

    @Override
    public synchronized void onRunEnd(SimulationResult result) {
        // What follows (the summary table on standard output) must start on a clean line.
        erase();
        phase = null;
    }

    private void draw() {
        long total = Math.max(1, planned);
        double frac = planned > 0 ? Math.min(1.0, (double) done / total) : 0;
        int filled = (int) Math.floor(frac * BAR_WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
        String steps = planned > 0 ? done() + "/" + planned : Long.toString(done());
        out.print(String.format(Locale.ROOT, "%sround %d/%d [%s] %3d%% %s%s | steps %s | loss %s | %.2f steps/s"
                + " | ETA %s", ERASE, round, lastRound, bar, Math.round(100 * frac), phase == null ? "" : phase.id(),
                client, steps, fmt(lastLoss), rate(), eta()));
        out.flush();
        barShown = true;
        lastDrawNanos = nanoClock.getAsLong();
    }

    /** The work done: the reported steps when the run planned its work, else the clients' optimizer steps. */
    private long done() {
        return planned > 0 ? done : clientSteps;
    }

    private double rate() {
        double secs = (nanoClock.getAsLong() - runStartNanos) / 1e9;
        return secs <= 0 ? 0 : done() / secs;
    }

    /**
     * The remaining time: from the rate of the work done so far when the run planned its work, else from the
     * mean round time. It is never shown larger than before, because the units of the phases take unequal time
     * (an evaluated example is not a training step) and a rising estimate reads as going backwards.
     */
    private String eta() {
        long secs;
        if (planned > 0 && done > 0) {
            secs = Math.round((planned - Math.min(planned, done)) / Math.max(1e-9, rate()));
        } else {
            int remaining = lastRound - firstRound + 1 - roundsDone;
            if (remaining <= 0) {
                secs = 0;
            } else if (roundsDone == 0) {
                return "--:--:--";
            } else {
                secs = Math.round(roundSecondsSum / roundsDone * remaining);
            }
        }
        shownEtaSeconds = Math.min(shownEtaSeconds, secs);
        long s = shownEtaSeconds;
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private void erase() {
        if (terminal && barShown) {
            out.print(ERASE);
            barShown = false;
        }
    }

    private void line(String s) {
        out.print(s + System.lineSeparator());
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
