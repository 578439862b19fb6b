package io.djlprune.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.engine.Latency;
import io.djlprune.export.ExportReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One row of a sweep's results: the dense model or one method × budget cell. Values a cell does not have (it has not
 * run, or it diverged before export) are null.
 *
 * @param method the pruning method, or {@value #DENSE} for the dense model
 * @param budget the budget as KIND=TARGET, or null for the dense model
 * @param status "completed", "diverged", "dense", or {@value #NOT_RUN}
 * @param flopsRatio the achieved FLOPs ratio (kept over dense)
 * @param paramsRatio the achieved parameter ratio
 * @param parameters trainable parameters of the exported model
 * @param flops FLOPs of one sample's forward through the exported model
 * @param validationAccuracy the hard-mask validation accuracy (the dense model's own for the dense row)
 * @param testAccuracy the test accuracy of the exported model (fine-tuned for a cell)
 * @param latency the latency of the exported {@code model.pt}
 * @param seconds the wall time of the cell's {@code prune} (of {@code train} for the dense row)
 */
record SweepRow(
        String method,
        String budget,
        String status,
        Double flopsRatio,
        Double paramsRatio,
        Long parameters,
        Long flops,
        Double validationAccuracy,
        Double testAccuracy,
        Latency latency,
        Double seconds,
        Double softHardGap,
        Double peakResidentMiB) {

    /** The method name of the dense row. */
    static final String DENSE = "dense";

    /** The status of a cell without a report. */
    static final String NOT_RUN = "not run";

    /**
     * Returns the row of a cell with no report yet.
     *
     * @param method the method
     * @param budget the budget
     * @return the row
     */
    static SweepRow notRun(String method, String budget) {
        return new SweepRow(method, budget, NOT_RUN, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Returns the dense row.
     *
     * @param train the dense model's train report
     * @param export the report of its {@code model.pt}
     * @param latency the latency of that file
     * @return the row, at ratio 1 by definition
     */
    static SweepRow dense(TrainReport train, ExportReport export, Latency latency) {
        return new SweepRow(
                DENSE, null, DENSE, 1.0, 1.0, export.parameters(), export.flops(), train.validationAccuracy(),
                train.testAccuracy(), latency, train.wallTimeSeconds(), null,
                train.history().stream()
                        .mapToDouble(e -> e.memory() == null ? Double.NaN : e.memory().residentMiB())
                        .filter(v -> !Double.isNaN(v))
                        .boxed()
                        .max(Double::compare)
                        .orElse(null));
    }

    /**
     * Reads a finished cell's {@code prune-report.json}.
     *
     * @param method the method
     * @param budget the budget
     * @param report the report file
     * @param latency the latency of the cell's {@code model.pt}, or null when it has none
     * @return the row
     * @throws IOException if the report cannot be read or lacks the achieved ratios
     */
    static SweepRow cell(String method, String budget, Path report, Latency latency) throws IOException {
        try {
            JsonObject json =
                    JsonParser.parseString(Files.readString(report, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject achieved = json.getAsJsonObject("achieved");
            if (achieved == null
                    || !achieved.has(BudgetKind.FLOPS.key())
                    || !achieved.has(BudgetKind.PARAMETERS.key())) {
                throw new IOException(report + " has no achieved FLOPs and parameter ratios; rerun its cell");
            }
            return new SweepRow(
                    method,
                    budget,
                    optional(json, "status")
                            .map(JsonElement::getAsString)
                            .orElseThrow(() -> new IOException(report + " is not a prune report: it has no status")),
                    achieved.get(BudgetKind.FLOPS.key()).getAsDouble(),
                    achieved.get(BudgetKind.PARAMETERS.key()).getAsDouble(),
                    optional(json, "parameters").map(JsonElement::getAsLong).orElse(null),
                    optional(json, "flops").map(JsonElement::getAsLong).orElse(null),
                    optional(json, "validationAccuracy").map(JsonElement::getAsDouble).orElse(null),
                    optional(json, "finalTestAccuracy").map(JsonElement::getAsDouble).orElse(null),
                    latency,
                    optional(json, "wallTimeSeconds").map(JsonElement::getAsDouble).orElse(null),
                    softHardGap(json),
                    peakResidentMiB(json));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IOException(report + " is not a prune report: " + e.getMessage(), e);
        }
    }

    /**
     * ChipNet's soft minus hard-mask validation accuracy in the kept (best) epoch, from the report's history; null for
     * methods without soft gates.
     */
    private static Double softHardGap(JsonObject json) {
        Optional<JsonElement> best = optional(json, "bestEpoch");
        Optional<JsonElement> history = optional(json, "history");
        if (best.isEmpty() || history.isEmpty() || history.get().getAsJsonArray().isEmpty()) {
            return null;
        }
        for (JsonElement element : history.get().getAsJsonArray()) {
            JsonObject epoch = element.getAsJsonObject();
            if (epoch.get("epoch").getAsInt() == best.get().getAsInt()) {
                return epoch.get("softAccuracy").getAsDouble() - epoch.get("hardAccuracy").getAsDouble();
            }
        }
        return null;
    }

    /** The largest resident memory any epoch of the cell (pruning and fine-tuning) reported, in MiB. */
    private static Double peakResidentMiB(JsonObject json) {
        double peak = Double.NaN;
        for (String list : new String[] {"history", "fineTuning"}) {
            Optional<JsonElement> epochs = optional(json, list);
            if (epochs.isEmpty()) {
                continue;
            }
            for (JsonElement element : epochs.get().getAsJsonArray()) {
                JsonElement memory = element.getAsJsonObject().get("memory");
                if (memory != null && memory.isJsonObject()) {
                    long bytes = memory.getAsJsonObject().get("residentBytes").getAsLong();
                    if (bytes >= 0) {
                        peak = Double.isNaN(peak) ? bytes / 1048576.0 : Math.max(peak, bytes / 1048576.0);
                    }
                }
            }
        }
        return Double.isNaN(peak) ? null : peak;
    }

    /**
     * Returns the budget's kind, which names the plot marker of the row.
     *
     * @return the kind, or null for the dense row
     */
    BudgetKind budgetKind() {
        return budget == null ? null : Budget.parse(budget).kind();
    }

    /**
     * Returns this row's median latency over the dense model's.
     *
     * @param dense the dense row
     * @return the ratio, or null when either latency is missing
     */
    Double latencyRatio(SweepRow dense) {
        if (latency == null || dense.latency() == null) {
            return null;
        }
        return latency.medianMs() / dense.latency().medianMs();
    }

    private static Optional<JsonElement> optional(JsonObject json, String name) {
        JsonElement element = json.get(name);
        return element == null || element.isJsonNull() ? Optional.empty() : Optional.of(element);
    }
}
