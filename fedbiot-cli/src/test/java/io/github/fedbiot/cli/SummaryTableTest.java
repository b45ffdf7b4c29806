/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.fedbiot.algorithm.EvalScores;
import io.github.fedbiot.algorithm.EvaluationTarget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
    @Test
    void tunedFiguresShowTheirChangeAgainstTheUntunedModelAndWhatTheyRestOn() {
        Map<EvaluationTarget, EvalScores> r = Map.of(
                EvaluationTarget.UNTUNED, new EvalScores(2.5, 12.18, 0.2, 400, 10),
                EvaluationTarget.ADAP_EMU, new EvalScores(2.25, 9.49, 0.3, 400, 10),
                EvaluationTarget.ADAP_FU, new EvalScores(2.0, 7.39, Double.NaN, 400, 0));
        String t = SummaryTable.format(r);
        List<String> lines = t.lines().toList();
        assertThat(lines.get(0)).contains("test loss").contains("perplexity").contains("exact match")
                .contains("tokens").contains("examples");
        assertThat(lines.get(1)).startsWith("un-tuned").contains("2.5000 ").contains("20.0 %").doesNotContain("(");
        assertThat(lines.get(2)).startsWith("AdapEmu").contains("2.2500 (-0.2500)").contains("9.49 (-2.69)")
                .contains("30.0 % (+10.0 pp)").contains(" 400 ").endsWith(" 10");
        assertThat(lines.get(3)).startsWith("AdapFu").contains("2.0000 (-0.5000)").contains(" - ").endsWith(" 0");
        assertThat(lines.get(4)).contains("change against the un-tuned model");
    }
}
