/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG plots of benchmark results with JFreeChart, drawn headless: box plots of raw samples (median, quartiles,
 * whiskers), bar charts of single values and line charts of series over a numeric axis.
 */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Writes a box plot: one box per (series, category) from its raw samples.
     *
     * @param file the PNG file
     * @param title the title
     * @param categoryLabel the category axis label
     * @param valueLabel the value axis label
     * @param samples series name, then category name, then samples (insertion order is kept)
     */
    public static void boxPlot(Path file, String title, String categoryLabel, String valueLabel,
            Map<String, Map<String, List<Double>>> samples) {
        DefaultBoxAndWhiskerCategoryDataset ds = new DefaultBoxAndWhiskerCategoryDataset();
        samples.forEach((series, byCat) -> byCat.forEach((cat, xs) -> ds.add(xs, series, cat)));
        BoxAndWhiskerRenderer r = new BoxAndWhiskerRenderer();
        r.setMeanVisible(false);
        r.setMaximumBarWidth(0.08);
        r.setDefaultToolTipGenerator(null);
        NumberAxis y = new NumberAxis(valueLabel);
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(categoryLabel), y, r);
        save(file, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    /**
     * Writes a bar chart.
     *
     * @param file the PNG file
     * @param title the title
     * @param categoryLabel the category axis label
     * @param valueLabel the value axis label
     * @param values series name, then category name, then value
     */
    public static void bars(Path file, String title, String categoryLabel, String valueLabel,
            Map<String, Map<String, Double>> values) {
        bars(file, title, categoryLabel, valueLabel, values, false);
    }

    /**
     * Writes a bar chart, optionally on a logarithmic value axis (for values that differ by orders of magnitude).
     *
     * @param file the PNG file
     * @param title the title
     * @param categoryLabel the category axis label
     * @param valueLabel the value axis label
     * @param values series name, then category name, then value (positive when {@code logValues})
     * @param logValues whether the value axis is logarithmic (base 10)
     */
    public static void bars(Path file, String title, String categoryLabel, String valueLabel,
            Map<String, Map<String, Double>> values, boolean logValues) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        values.forEach((series, byCat) -> byCat.forEach((cat, v) -> ds.addValue(v, series, cat)));
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, ds,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        if (logValues) {
            LogAxis ax = new LogAxis(valueLabel);
            ax.setBase(10);
            ax.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten, written out (10, 100, 1,000)
            ax.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            ax.setSmallestValue(values.values().stream().flatMap(m -> m.values().stream())
                    .mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(1) / 2);
            plot.setRangeAxis(ax);
            r.setBase(ax.getSmallestValue());
            r.setIncludeBaseInRange(true);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        save(file, chart);
    }

    /**
     * Writes a line chart of (x, y) series.
     *
     * @param file the PNG file
     * @param title the title
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param series series name, then points {@code {x, y}}
     * @param logX whether the x axis is logarithmic
     */
    public static void lines(Path file, String title, String xLabel, String yLabel,
            Map<String, List<double[]>> series, boolean logX) {
        XYSeriesCollection ds = new XYSeriesCollection();
        series.forEach((name, pts) -> {
            XYSeries s = new XYSeries(name);
            pts.forEach(p -> s.add(p[0], p[1]));
            ds.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, ds, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        if (logX) {
            LogAxis ax = new LogAxis(xLabel);
            ax.setBase(2);
            ax.setSmallestValue(1);
            plot.setDomainAxis(ax);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        save(file, chart);
    }

    private static void save(Path file, JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
