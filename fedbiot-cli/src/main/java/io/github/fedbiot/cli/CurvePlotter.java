/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.cli;

import io.github.fedbiot.FedbiotException;
import io.github.fedbiot.metrics.RoundRecord;
import io.github.fedbiot.tensor.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Plots a simulation's curves to PNG with JFreeChart: the losses (client training loss, AdapEmu and AdapFu
 * held-out loss) above the server's alignment terms (NL2, KL), against the round, on white with colours that
 * stay apart on white and for colour-blind readers (Okabe-Ito). Once the un-tuned model's test loss is known
 * it is drawn as a dashed reference line. Points not measured in a round are left out. The file is replaced
 * atomically.
 */
final class CurvePlotter {
    /** Okabe-Ito colours that read on white: blue, vermillion, bluish green, reddish purple, orange. */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00)};
    private static final Color GRID = new Color(0xDDDDDD);

    private CurvePlotter() {}

    /**
     * Writes the chart.
     *
     * @param png the target file
     * @param records the rounds so far
     * @param title the chart title
     */
    static void write(Path png, List<RoundRecord> records, String title) {
        write(png, records, title, Double.NaN);
    }

    /**
     * Writes the chart with the un-tuned model's loss as a reference line.
     *
     * @param png the target file
     * @param records the rounds so far
     * @param title the chart title
     * @param untunedLoss the un-tuned model's test loss (NaN: no line)
     */
    static void write(Path png, List<RoundRecord> records, String title, double untunedLoss) {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(series("client train loss", records, r -> r.training().loss()));
        losses.addSeries(series("AdapEmu held-out loss", records, r -> r.emu().loss()));
        losses.addSeries(series("AdapFu held-out loss", records, r -> r.fu().loss()));
        XYSeriesCollection align = new XYSeriesCollection();
        align.addSeries(series("alignment NL2", records, r -> r.alignment().nl2()));
        align.addSeries(series("alignment KL", records, r -> r.alignment().kl()));

        XYPlot top = plot(losses, "loss (nats)", 0);
        XYPlot bottom = plot(align, "alignment", losses.getSeriesCount());
        if (Double.isFinite(untunedLoss)) {
            ValueMarker m = new ValueMarker(untunedLoss, Color.BLACK, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel(String.format(Locale.ROOT, "un-tuned model, test loss %.4f", untunedLoss));
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            top.addRangeMarker(m);
            // Keep the reference line in view even when the curves lie far from it.
            ((NumberAxis) top.getRangeAxis()).setAutoRangeIncludesZero(false);
            top.getRangeAxis().setRange(Math.min(untunedLoss, extreme(losses, false)) - 0.1,
                    Math.max(untunedLoss, extreme(losses, true)) + 0.1);
        }
        NumberAxis rounds = new NumberAxis("round");
        rounds.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(rounds);
        plot.add(top, 2);
        plot.add(bottom, 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            AtomicFile.write(png, out -> encode(chart, out));
        } catch (IOException e) {
            throw new FedbiotException("cannot write " + png + ": " + IoErrors.describe(e), e);
        }
    }

    /**
     * Encodes the chart; ImageIO reports some failures (no writable cache directory, a closed stream) as
     * unchecked exceptions, which become the IOException they are.
     */
    private static void encode(JFreeChart chart, OutputStream out) throws IOException {
        try {
            ChartUtils.writeChartAsPNG(out, chart, 900, 650);
        } catch (RuntimeException e) {
            throw new IOException("the PNG encoder failed" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private static XYPlot plot(XYSeriesCollection data, String label, int firstColour) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, PALETTE[(firstColour + i) % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot p = new XYPlot(data, null, axis(label), r);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(GRID);
        p.setRangeGridlinePaint(GRID);
        return p;
    }

    /** The smallest (or largest) value of the curves; 0 (or 1) when nothing is plotted yet. */
    private static double extreme(XYSeriesCollection c, boolean largest) {
        double v = largest ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (int i = 0; i < c.getSeriesCount(); i++) {
            if (c.getSeries(i).getItemCount() > 0) {
                v = largest ? Math.max(v, c.getSeries(i).getMaxY()) : Math.min(v, c.getSeries(i).getMinY());
            }
        }
        return Double.isFinite(v) ? v : largest ? 1 : 0;
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
