package io.djlprune.benchmarks;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.engine.InterleavedTiming;
import io.djlprune.io.AtomicFiles;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dense and compacted inference latency measured in one process, interleaved ({@link InterleavedTiming}, the same
 * measurement {@code djl-prune prune --budget latency=R} makes): every round times one forward of each network in turn,
 * and a compacted network's latency ratio is the median over rounds of its time divided by the dense
 * time of the same round.
 *
 * <p>Why not JMH's forks alone: on the shared 2-core VM this project runs on, the same dense ResNet-20 forward had
 * medians of 117 and 263 ms in two JMH forks of one run, so a ratio between forks says more about the neighbours
 * than about pruning. Within a round both networks meet the same machine state, and the median over rounds drops the
 * rounds a neighbour disturbed. JMH stays the tool for absolute latencies ({@link InferenceLatencyBenchmark}).
 *
 * <p>Run: {@code benchmarks/interleaved.sh out.json [--model resnet20] [--batch 64] [--form pt|djl]
 * [--orders global,volume-r16] [--budgets 0.5,0.25,0.1] [--rounds 40] [--warmup 5] [--device cpu] [--threads 1]}.
 * Writes the JSON and a Markdown table beside it (same name, .md).
 */
public final class InterleavedLatency {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private InterleavedLatency() {}

    /** One timed network: the dense one (budget 1) or a compacted one. */
    private record Subject(String order, double budget, TimedNetwork network) {
        String name() {
            return budget >= 1 ? "dense" : order + " @ " + budget;
        }
    }

    /** What one subject measured. */
    record Result(
            String name, String order, double budget, double medianMs, double p25Ms, double p75Ms, double ratio,
            double ratioP25, double ratioP75) {}

    /**
     * Runs the measurement.
     *
     * @param args the output JSON path, then options as {@code --name value}
     * @throws Exception if a network cannot be built, exported or loaded, or the output cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println("usage: InterleavedLatency <out.json> [--model M] [--batch N] [--form pt|djl]"
                    + " [--orders a,b] [--budgets x,y] [--rounds N] [--warmup N] [--device D] [--threads N]");
            System.exit(2);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        Map<String, Object> report;
        try {
            report = run(options(Arrays.copyOfRange(args, 1, args.length)));
        } catch (IllegalArgumentException e) {
            System.err.println("InterleavedLatency: " + e.getMessage());
            System.exit(2);
            return;
        }
        String json = GSON.toJson(report);
        AtomicFiles.write(out, json.getBytes(StandardCharsets.UTF_8));
        String table = table(report);
        Path markdown = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        AtomicFiles.write(markdown, table.getBytes(StandardCharsets.UTF_8));
        System.out.print(table);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("model", "resnet20");
        options.put("batch", "64");
        options.put("form", "pt");
        options.put("orders", "global,volume-r16");
        options.put("budgets", "0.5,0.25,0.1");
        options.put("rounds", "40");
        options.put("warmup", "5");
        options.put("device", "cpu");
        options.put("threads", "1");
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs --name value; got " + Arrays.toString(args));
        }
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!args[i].startsWith("--") || !options.containsKey(name)) {
                throw new IllegalArgumentException(
                        "Unknown option '" + args[i] + "': use --" + String.join(", --", options.keySet()));
            }
            options.put(name, args[i + 1]);
        }
        return options;
    }

    private static Map<String, Object> run(Map<String, String> options)
            throws IOException, MalformedModelException {
        String model = options.get("model");
        int batch = positive(options, "batch");
        int rounds = positive(options, "rounds");
        int warmup = Integer.parseInt(options.get("warmup"));
        String form = options.get("form");
        Device device = BenchEngine.prepare(options.get("device"), Integer.parseInt(options.get("threads")));
        OpClassifier classifier = DjlOpClassifier.newInstance();
        List<Subject> subjects = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray input = manager.randomNormal(new Shape(batch, 1, 28, 28));
            Block dense = BenchModels.randomDense(model, manager, 20_240_601L);
            subjects.add(new Subject("-", 1.0, TimedNetwork.of(form, dense, "dense", classifier, input)));
            for (String order : options.get("orders").split(",")) {
                for (String budgetText : options.get("budgets").split(",")) {
                    double budget = Double.parseDouble(budgetText);
                    if (!(budget > 0 && budget < 1)) {
                        throw new IllegalArgumentException("a budget is a kept FLOPs fraction in (0, 1), got " + budget);
                    }
                    Block compact =
                            BenchModels.compact(manager, dense, classifier, budget, BenchModels.selector(order))
                                    .block();
                    TimedNetwork network = TimedNetwork.of(form, compact, order + "-" + budget, classifier, input);
                    subjects.add(new Subject(order, budget, network));
                }
            }
            List<InterleavedTiming.Forward> forwards = new ArrayList<>();
            for (Subject subject : subjects) {
                forwards.add(scope -> subject.network().forward(scope, input));
            }
            double[][] millis = InterleavedTiming.millis(forwards, manager, rounds, warmup);
            List<Result> results = new ArrayList<>();
            for (int s = 0; s < subjects.size(); s++) {
                double[] ratios = InterleavedTiming.ratios(millis[s], millis[0]);
                Subject subject = subjects.get(s);
                results.add(new Result(
                        subject.name(), subject.order(), subject.budget(), quantile(millis[s], 0.5),
                        quantile(millis[s], 0.25), quantile(millis[s], 0.75), quantile(ratios, 0.5),
                        quantile(ratios, 0.25), quantile(ratios, 0.75)));
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("benchmark", "interleaved dense/compacted latency, median over rounds");
            report.put("options", options);
            report.put("deviceResolved", device.toString());
            report.put("oneDnnMaxCpuIsa", String.valueOf(System.getenv("ONEDNN_MAX_CPU_ISA")));
            report.put("cpu", cpuName());
            report.put("results", results);
            return report;
        } finally {
            for (Subject subject : subjects) {
                subject.network().close();
            }
        }
    }

    private static int positive(Map<String, String> options, String name) {
        int value = Integer.parseInt(options.get(name));
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be ≥ 1, got " + value);
        }
        return value;
    }

    /** The q-quantile by linear interpolation between order statistics. */
    static double quantile(double[] values, double q) {
        return InterleavedTiming.quantile(values, q);
    }

    private static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return System.getProperty("os.arch") + " (" + e.getMessage() + ")";
        }
        return System.getProperty("os.arch");
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> report) {
        StringBuilder table = new StringBuilder();
        table.append("Interleaved latency, ").append(report.get("options")).append(", ").append(report.get("cpu"))
                .append(", ONEDNN_MAX_CPU_ISA=").append(report.get("oneDnnMaxCpuIsa")).append("\n\n");
        table.append("| network | median ms | p25–p75 ms | latency / dense (median of rounds) | p25–p75 |\n");
        table.append("|---|---|---|---|---|\n");
        for (Result r : (List<Result>) report.get("results")) {
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f–%.2f | %.3f | %.3f–%.3f |%n", r.name(),
                    r.medianMs(), r.p25Ms(), r.p75Ms(), r.ratio(), r.ratioP25(), r.ratioP75()));
        }
        return table.toString();
    }
}
