package io.djlprune.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JMH JSON result file and prints every JMH result as a Markdown table, with the compacted/dense latency
 * ratio for {@link InferenceLatencyBenchmark} rows: each median divided by the dense (budget 1.0) median of the same
 * model, batch, form, device and threads. Medians, because on a shared machine the mean carries the operations
 * another process stalled; the mean ratio is printed beside it.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.djlprune.benchmarks.LatencyRatios
 * results.json}.
 */
public final class LatencyRatios {

    private static final String LATENCY = InferenceLatencyBenchmark.class.getName() + ".forward";

    private LatencyRatios() {}

    /**
     * Prints the table for one JMH JSON file.
     *
     * @param args the path of the JSON file
     * @throws IOException if the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LatencyRatios <jmh-result.json>");
            System.exit(2);
        }
        System.out.print(table(read(Path.of(args[0]))));
    }

    /**
     * One JMH result.
     *
     * @param benchmark the benchmark's full name
     * @param params its parameters
     * @param score the mean
     * @param error the 99.9% half-width of the mean, NaN when JMH gave none
     * @param median the 50th percentile, or the mean when JMH gave no percentiles
     * @param unit the unit
     */
    record Row(String benchmark, Map<String, String> params, double score, double error, double median, String unit) {

        /** The parameters other than the budget, which name the dense row this one is compared with. */
        String caseKey() {
            Map<String, String> rest = new TreeMap<>(params);
            rest.remove("budget");
            return benchmark + rest;
        }
    }

    /**
     * Parses a JMH JSON result file.
     *
     * @param file the file JMH wrote with {@code -rf json -rff file}
     * @return its rows, in file order
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a JMH JSON array of results
     */
    static List<Row> read(Path file) throws IOException {
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(file + " is not a JMH JSON result (expected an array of results)");
        }
        List<Row> rows = new ArrayList<>();
        for (JsonElement element : (JsonArray) root) {
            JsonObject result = element.getAsJsonObject();
            JsonObject metric = result.getAsJsonObject("primaryMetric");
            if (metric == null || !result.has("benchmark")) {
                throw new IllegalArgumentException(file + " has a result without 'benchmark' or 'primaryMetric'");
            }
            Map<String, String> params = new TreeMap<>();
            JsonObject jsonParams = result.getAsJsonObject("params");
            if (jsonParams != null) {
                jsonParams.entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            }
            JsonElement error = metric.get("scoreError");
            double score = metric.get("score").getAsDouble();
            JsonObject percentiles = metric.getAsJsonObject("scorePercentiles");
            double median =
                    percentiles != null && percentiles.has("50.0") ? percentiles.get("50.0").getAsDouble() : score;
            rows.add(
                    new Row(
                            result.get("benchmark").getAsString(),
                            params,
                            score,
                            error == null || !error.isJsonPrimitive() ? Double.NaN : parseError(error),
                            median,
                            metric.get("scoreUnit").getAsString()));
        }
        return rows;
    }

    /** JMH writes "NaN" as a string when one iteration gives no error estimate. */
    private static double parseError(JsonElement error) {
        try {
            return error.getAsDouble();
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Formats the rows as a Markdown table; latency rows get their compacted/dense ratio.
     *
     * @param rows the results
     * @return the table, one line per result
     */
    static String table(List<Row> rows) {
        Map<String, Row> dense = new TreeMap<>();
        for (Row row : rows) {
            if (row.benchmark().equals(LATENCY) && Double.parseDouble(row.params().get("budget")) == 1.0) {
                dense.put(row.caseKey(), row);
            }
        }
        List<Row> sorted = new ArrayList<>(rows);
        // Cases together, then the dense row first and the tightest budget last within each case.
        sorted.sort(
                Comparator.comparing(Row::caseKey)
                        .thenComparing(r -> -Double.parseDouble(r.params().getOrDefault("budget", "0"))));
        StringBuilder text = new StringBuilder("| benchmark | params | mean | ± | median | unit ");
        text.append("| median / dense | mean / dense |\n");
        text.append("|---|---|---|---|---|---|---|---|\n");
        for (Row row : sorted) {
            Row base = row.benchmark().equals(LATENCY) ? dense.get(row.caseKey()) : null;
            String prefix = LatencyRatios.class.getPackageName() + ".";
            String name = row.benchmark().startsWith(prefix)
                    ? row.benchmark().substring(prefix.length())
                    : row.benchmark();
            text.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.3f | %.3f | %.3f | %s | %s | %s |%n",
                    name,
                    row.params(),
                    row.score(),
                    row.error(),
                    row.median(),
                    row.unit(),
                    base == null ? "" : String.format(Locale.ROOT, "%.3f", row.median() / base.median()),
                    base == null ? "" : String.format(Locale.ROOT, "%.3f", row.score() / base.score())));
        }
        return text.toString();
    }
}
