package io.djlprune.cli;

import io.djlprune.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sweep's results as {@code results.csv} (finished rows, for scripts) and {@code results.md} (every row, unfinished
 * cells marked), each written atomically. The dense row comes first; every row carries the achieved FLOPs and parameter
 * ratios and the latency of its exported {@code model.pt}, with that latency over the dense model's.
 */
final class SweepTable {

    /** The CSV file name. */
    static final String CSV_FILE = "results.csv";

    /** The Markdown file name. */
    static final String MARKDOWN_FILE = "results.md";

    /** The CSV header: one column per field of a row. */
    static final String CSV_HEADER =
            "method,budget,status,flops_ratio,params_ratio,parameters,flops,hard_mask_val_acc,test_acc,latency_ms,"
                    + "latency_ratio,latency_batch,seconds,soft_hard_gap,peak_rss_mib";

    /** The column the Markdown table leaves out, because its header names the batch size. */
    private static final int LATENCY_BATCH_COLUMN = List.of(CSV_HEADER.split(",")).indexOf("latency_batch");

    private SweepTable() {}

    /**
     * Writes both tables.
     *
     * @param output the sweep folder
     * @param dense the dense row
     * @param cells the cells in sweep order, including the ones not run
     * @throws IOException if a file cannot be written
     */
    static void write(Path output, SweepRow dense, List<SweepRow> cells) throws IOException {
        String batch = dense.latency() == null ? "?" : String.valueOf(dense.latency().batchSize());
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        StringBuilder md =
                new StringBuilder(
                        "| method | budget | status | FLOPs ratio | params ratio | parameters | FLOPs | hard-mask val acc"
                                + " | test acc | latency ms (.pt, batch " + batch + ") | latency / dense | seconds"
                                + " | soft − hard val acc | peak RSS MiB |\n"
                                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<SweepRow> rows = new ArrayList<>();
        rows.add(dense);
        rows.addAll(cells);
        for (SweepRow row : rows) {
            List<String> fields = fields(row, dense);
            if (!row.status().equals(SweepRow.NOT_RUN)) {
                csv.append(String.join(",", fields)).append('\n');
            }
            fields.remove(LATENCY_BATCH_COLUMN);
            if (row.budget() == null) {
                fields.set(1, "—");
            }
            md.append("| ").append(String.join(" | ", fields)).append(" |\n");
        }
        AtomicFiles.write(output.resolve(CSV_FILE), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(output.resolve(MARKDOWN_FILE), md.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The row's values in {@link #CSV_HEADER} order; a missing value is empty. */
    private static List<String> fields(SweepRow row, SweepRow dense) {
        List<String> fields = new ArrayList<>();
        fields.add(row.method());
        fields.add(row.budget() == null ? "" : row.budget());
        fields.add(row.status());
        fields.add(format("%.4f", row.flopsRatio()));
        fields.add(format("%.4f", row.paramsRatio()));
        fields.add(row.parameters() == null ? "" : row.parameters().toString());
        fields.add(row.flops() == null ? "" : row.flops().toString());
        fields.add(format("%.4f", row.validationAccuracy()));
        fields.add(format("%.4f", row.testAccuracy()));
        fields.add(row.latency() == null ? "" : format("%.3f", row.latency().medianMs()));
        fields.add(format("%.3f", row.latencyRatio(dense)));
        fields.add(row.latency() == null ? "" : String.valueOf(row.latency().batchSize()));
        fields.add(format("%.0f", row.seconds()));
        fields.add(format("%.4f", row.softHardGap()));
        fields.add(format("%.0f", row.peakResidentMiB()));
        return fields;
    }

    private static String format(String format, Double value) {
        return value == null ? "" : String.format(Locale.ROOT, format, value);
    }
}
