/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import io.github.fedbiot.runtime.SimulationResult;
import java.util.Locale;
import java.util.Map;

/**
 * The test scores a finished simulation prints: per model (un-tuned, AdapEmu, AdapFu) the loss, perplexity and
 * exact match, each tuned figure with its change against the un-tuned model, and what each figure rests on
 * (response tokens for loss and perplexity, generated test examples for exact match).
 */
final class SummaryTable {
    private static final String ROW = "%-10s %18s %18s %22s %8s %9s%n";

    private SummaryTable() {}

    /**
     * Formats the table.
     *
     * @param result the simulation result
     * @return the table text, or a sentence when the run stopped before its final evaluation
     */
    static String format(SimulationResult result) {
        if (!result.completed() || result.finalScores().isEmpty()) {
            return "stopped before the last round; no final evaluation (continue with --resume)";
        }
        return format(result.finalScores());
    }

    /**
     * Formats the table of a completed run's test scores.
     *
     * @param scores every target's scores
     * @return the table text
     */
    static String format(Map<EvaluationTarget, EvalScores> scores) {
        EvalScores base = scores.get(EvaluationTarget.UNTUNED);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, ROW, "model", "test loss", "perplexity", "exact match",
                "tokens", "examples"));
        for (EvaluationTarget t : EvaluationTarget.values()) {
            EvalScores s = scores.get(t);
            boolean tuned = t != EvaluationTarget.UNTUNED;
            sb.append(String.format(Locale.ROOT, ROW, name(t),
                    withDelta(s.loss(), base.loss(), "%.4f", "%+.4f", 1, tuned),
                    withDelta(s.perplexity(), base.perplexity(), "%.2f", "%+.2f", 1, tuned),
                    withDelta(s.exactMatch(), base.exactMatch(), "%.1f %%", "%+.1f pp", 100, tuned),
                    s.tokens(), s.generated()));
        }
        sb.append("(in brackets: the change against the un-tuned model; loss and perplexity rest on the response "
                + "tokens, exact match on the generated test examples)");
        return sb.toString();
    }

    private static String name(EvaluationTarget t) {
        return switch (t) {
            case UNTUNED -> "un-tuned";
            case ADAP_EMU -> "AdapEmu";
            case ADAP_FU -> "AdapFu";
        };
    }

    private static String withDelta(double v, double base, String fmt, String deltaFmt, double scale,
            boolean tuned) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        String text = String.format(Locale.ROOT, fmt, scale * v);
        return tuned && Double.isFinite(base)
                ? text + " (" + String.format(Locale.ROOT, deltaFmt, scale * (v - base)) + ")" : text;
    }
}
