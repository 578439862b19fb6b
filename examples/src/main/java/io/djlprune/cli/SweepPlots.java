package io.djlprune.cli;

import io.djlprune.cost.BudgetKind;
import io.djlprune.io.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A sweep's plots as PNG files (rendered headless with XChart, written atomically), both over the achieved FLOPs ratio:
 * {@code accuracy-vs-flops.png} (test accuracy; the dense model as a black cross at 1 and a dotted line across) and
 * {@code latency-vs-flops.png} (latency of the {@code .pt} over the dense one's; the ideal y = x as a dotted line). One
 * series per method and budget kind: a method keeps its colour, the budget kind picks the marker and line (FLOPs
 * budgets: circles, solid; parameter budgets: diamonds, dashed; channels, volume: squares, triangles), so a sweep with
 * FLOPs and parameter budgets shows both kinds' cells on the same axes.
 */
final class SweepPlots {

    /** The accuracy plot's file name. */
    static final String ACCURACY_FILE = "accuracy-vs-flops.png";

    /** The latency plot's file name. */
    static final String LATENCY_FILE = "latency-vs-flops.png";

    /** The width of both plots, in pixels. */
    static final int WIDTH = 900;

    /** The height of both plots, in pixels. */
    static final int HEIGHT = 600;

    private static final Color[] METHOD_COLORS = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)
    };

    static {
        // the plots are files: never ask for a display, also where one exists
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private SweepPlots() {}

    /**
     * Writes both plots.
     *
     * @param output the sweep folder
     * @param dense the dense row
     * @param cells the cells; those without the plotted value (not run, diverged) are left out
     * @throws IOException if a file cannot be written
     */
    static void write(Path output, SweepRow dense, List<SweepRow> cells) throws IOException {
        XYChart accuracy = chart("Test accuracy vs FLOPs kept", "test accuracy");
        accuracy.getStyler().setYAxisMin(0.0);
        accuracy.getStyler().setYAxisMax(1.0);
        addCells(accuracy, cells, SweepRow::testAccuracy);
        if (dense.testAccuracy() != null) {
            double denseAccuracy = dense.testAccuracy();
            reference(accuracy, "dense accuracy", new double[] {0, 1.05}, new double[] {denseAccuracy, denseAccuracy});
            point(accuracy, "dense", dense.testAccuracy());
        }
        save(accuracy, output.resolve(ACCURACY_FILE));

        XYChart latency = chart("Latency vs FLOPs kept (.pt, batch " + batch(dense) + ")", "latency / dense latency");
        double highest = addCells(latency, cells, row -> row.latencyRatio(dense));
        latency.getStyler().setYAxisMin(0.0);
        latency.getStyler().setYAxisMax(Math.max(1.1, highest * 1.1));
        reference(latency, "ideal (latency ∝ FLOPs)", new double[] {0, 1}, new double[] {0, 1});
        if (dense.latency() != null) {
            point(latency, "dense", 1.0);
        }
        save(latency, output.resolve(LATENCY_FILE));
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("achieved FLOPs ratio (kept / dense)")
                        .yAxisTitle(yTitle)
                        .build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setXAxisMin(0.0);
        styler.setXAxisMax(1.05);
        styler.setXAxisDecimalPattern("0.00");
        styler.setYAxisDecimalPattern("0.00");
        styler.setMarkerSize(8);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        return chart;
    }

    /** Adds one series per method and budget kind, sorted by FLOPs ratio; returns the highest y plotted (0 if none). */
    private static double addCells(XYChart chart, List<SweepRow> cells, Function<SweepRow, Double> y) {
        Map<String, Integer> methods = new LinkedHashMap<>();
        Map<String, List<SweepRow>> series = new LinkedHashMap<>();
        for (SweepRow row : cells) {
            if (row.flopsRatio() == null || y.apply(row) == null) {
                continue;
            }
            methods.putIfAbsent(row.method(), methods.size());
            String name = row.method() + " · " + row.budgetKind().key() + " budgets";
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(row);
        }
        double highest = 0;
        for (Map.Entry<String, List<SweepRow>> entry : series.entrySet()) {
            List<SweepRow> rows = new ArrayList<>(entry.getValue());
            rows.sort(Comparator.comparingDouble(SweepRow::flopsRatio));
            double[] xs = rows.stream().mapToDouble(SweepRow::flopsRatio).toArray();
            double[] ys = rows.stream().mapToDouble(row -> y.apply(row)).toArray();
            for (double value : ys) {
                highest = Math.max(highest, value);
            }
            SweepRow first = rows.get(0);
            Color color = METHOD_COLORS[methods.get(first.method()) % METHOD_COLORS.length];
            XYSeries added = chart.addSeries(entry.getKey(), xs, ys);
            added.setMarker(marker(first.budgetKind()));
            added.setMarkerColor(color);
            added.setLineColor(color);
            added.setLineStyle(first.budgetKind() == BudgetKind.FLOPS ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
        }
        return highest;
    }

    private static Marker marker(BudgetKind kind) {
        switch (kind) {
            case FLOPS:
                return SeriesMarkers.CIRCLE;
            case PARAMETERS:
                return SeriesMarkers.DIAMOND;
            case CHANNELS:
                return SeriesMarkers.SQUARE;
            default:
                return SeriesMarkers.TRIANGLE_UP;
        }
    }

    private static void reference(XYChart chart, String name, double[] xs, double[] ys) {
        XYSeries line = chart.addSeries(name, xs, ys);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.GRAY);
        line.setLineStyle(SeriesLines.DOT_DOT);
    }

    private static void point(XYChart chart, String name, double y) {
        XYSeries point = chart.addSeries(name, new double[] {1.0}, new double[] {y});
        point.setMarker(SeriesMarkers.CROSS);
        point.setMarkerColor(Color.BLACK);
        point.setLineStyle(SeriesLines.NONE);
    }

    private static String batch(SweepRow dense) {
        return dense.latency() == null ? "?" : String.valueOf(dense.latency().batchSize());
    }

    private static void save(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
