/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Plots a simulation's curves to PNG with JFreeChart: the losses (client training loss, AdapEmu and AdapFu
 * held-out loss) above the server's alignment terms (NL2, KL), against the round. Points not measured in a round
 * are left out. The file is replaced atomically.
 */
final class CurvePlotter {
    private CurvePlotter() {}

    /**
     * Writes the chart.
     *
     * @param png the target file
     * @param records the rounds so far
     * @param title the chart title
     */
    static void write(Path png, List<RoundRecord> records, String title) {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(series("client train loss", records, r -> r.training().loss()));
        losses.addSeries(series("AdapEmu held-out loss", records, r -> r.emu().loss()));
        losses.addSeries(series("AdapFu held-out loss", records, r -> r.fu().loss()));
        XYSeriesCollection align = new XYSeriesCollection();
        align.addSeries(series("alignment NL2", records, r -> r.alignment().nl2()));
        align.addSeries(series("alignment KL", records, r -> r.alignment().kl()));

        XYPlot top = new XYPlot(losses, null, axis("loss (nats)"), new XYLineAndShapeRenderer(true, true));
        XYPlot bottom = new XYPlot(align, null, axis("alignment"), new XYLineAndShapeRenderer(true, true));
        NumberAxis rounds = new NumberAxis("round");
        rounds.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(rounds);
        plot.add(top, 2);
        plot.add(bottom, 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        try {
            AtomicFile.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 650));
        } catch (IOException e) {
            throw new FedbiotException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    private static XYSeries series(String name, List<RoundRecord> records, ToDoubleFunction<RoundRecord> f) {
        XYSeries s = new XYSeries(name);
        for (RoundRecord r : records) {
            double v = f.applyAsDouble(r);
            if (Double.isFinite(v)) {
                s.add(r.round(), v);
            }
        }
        return s;
    }
}
