package io.djlprune.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.management.OperatingSystemMXBean;
import io.djlprune.export.onnx.OnnxRuntimeModel;
import io.djlprune.export.onnx.OnnxVerifier;
import io.djlprune.export.onnx.OnnxWriter;
import io.djlprune.io.AtomicFiles;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same networks timed through LibTorch (the verified {@code .pt}, as {@link InterleavedLatency} times it) and
 * through ONNX Runtime (the verified {@code .onnx}), interleaved in one process: every round times one forward of each
 * (network, runtime) pair in a rotating order, and the ONNX Runtime / LibTorch ratio of a network is the median over
 * rounds of the two times of the same round. Both runtimes get the same thread count (LibTorch's intra-op threads,
 * ONNX Runtime's session intra-op threads); ONNX Runtime's time includes copying the input into its tensor and the
 * output out, LibTorch's reading its output back.
 *
 * <p>Run: {@code benchmarks/onnx-latency.sh out.json [--model resnet20] [--batch 64] [--budgets 1,0.5,0.25]
 * [--rounds 30] [--warmup 5] [--threads 1] [--order global|volume-r16]}; budget 1 is the dense network, the order
 * is the mask selector's ({@link BenchModels#selector}). Writes the JSON and a Markdown table.
 */
public final class OnnxLatency {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private OnnxLatency() {}

    /** What one network measured in both runtimes. */
    record Result(double budget, double libTorchMedianMs, double onnxRuntimeMedianMs, double ratio, double ratioP25,
            double ratioP75, double maxDifference, double libTorchCpuPerWall, double onnxRuntimeCpuPerWall) {}

    /**
     * Runs the measurement.
     *
     * @param args the output JSON path, then options as {@code --name value}
     * @throws Exception if a network cannot be built, exported, verified or loaded, or the output cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("--") || args.length % 2 != 1) {
            System.err.println("usage: OnnxLatency <out.json> [--model M] [--batch N] [--budgets 1,0.5,0.25]"
                    + " [--rounds N] [--warmup N] [--threads N] [--order O]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "model", "resnet20", "batch", "64", "budgets", "1,0.5,0.25", "rounds", "30", "warmup", "5",
                "threads", "1", "order", "global"));
        for (int i = 1; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!options.containsKey(name)) {
                System.err.println("OnnxLatency: unknown option " + args[i] + "; use --" + options.keySet());
                System.exit(2);
            }
            options.put(name, args[i + 1]);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        Map<String, Object> report = run(options);
        AtomicFiles.write(out, GSON.toJson(report).getBytes(StandardCharsets.UTF_8));
        String table = table(report);
        Path markdown = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        AtomicFiles.write(markdown, table.getBytes(StandardCharsets.UTF_8));
        System.out.print(table);
    }

    private static Map<String, Object> run(Map<String, String> options) throws Exception {
        int batch = Integer.parseInt(options.get("batch"));
        int rounds = Integer.parseInt(options.get("rounds"));
        int warmup = Integer.parseInt(options.get("warmup"));
        int threads = Integer.parseInt(options.get("threads"));
        Device device = BenchEngine.prepare("cpu", threads);
        OpClassifier classifier = DjlOpClassifier.newInstance();
        Shape batchShape = new Shape(batch).addAll(BenchModels.INPUT.slice(1));
        List<Double> budgets = new ArrayList<>();
        List<TimedNetwork> scripts = new ArrayList<>();
        List<OnnxRuntimeModel> onnx = new ArrayList<>();
        List<Double> differences = new ArrayList<>();
        Path folder = Files.createTempDirectory("djlprune-onnx-bench");
        try (NDManager manager = NDManager.newBaseManager(device)) {
            float[] pixels = OnnxVerifier.randomBatch(batchShape, 64);
            NDArray input = manager.create(pixels, batchShape);
            Block dense = BenchModels.randomDense(options.get("model"), manager, 20_240_601L);
            for (String text : options.get("budgets").split(",")) {
                double budget = Double.parseDouble(text);
                Block block = budget >= 1 ? dense : BenchModels.compact(
                        manager, dense, classifier, budget, BenchModels.selector(options.get("order"))).block();
                String name = "flops-" + text;
                scripts.add(TimedNetwork.of("pt", block, name, classifier, input));
                Path file = folder.resolve(name + ".onnx");
                OnnxWriter.write(block, BenchModels.INPUT, classifier, file, Map.of());
                OnnxRuntimeModel model = OnnxRuntimeModel.load(file, threads);
                onnx.add(model);
                differences.add(new OnnxVerifier(OnnxVerifier.DEFAULT_TOLERANCE)
                        .verify(model, name, block, batchShape, 64).maxDifference());
                budgets.add(budget);
            }
            int n = budgets.size();
            double[][] millis = new double[2 * n][rounds];
            // the process's CPU time over the wall time of the timed forwards: about the threads really used
            double[] cpuMs = new double[2 * n];
            double[] wallMs = new double[2 * n];
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int round = -warmup; round < rounds; round++) {
                for (int k = 0; k < 2 * n; k++) {
                    int s = Math.floorMod(k + round, 2 * n);
                    double ms;
                    long cpuStart = os.getProcessCpuTime();
                    if (s < n) {
                        try (NDManager scope = manager.newSubManager()) {
                            long start = System.nanoTime();
                            scripts.get(s).forward(scope, input);
                            ms = (System.nanoTime() - start) / 1e6;
                        }
                    } else {
                        long start = System.nanoTime();
                        onnx.get(s - n).predict(pixels, batchShape.getShape());
                        ms = (System.nanoTime() - start) / 1e6;
                    }
                    if (round >= 0) {
                        millis[s][round] = ms;
                        cpuMs[s] += (os.getProcessCpuTime() - cpuStart) / 1e6;
                        wallMs[s] += ms;
                    }
                }
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratios[r] = millis[n + i][r] / millis[i][r];
                }
                results.add(new Result(budgets.get(i), InterleavedLatency.quantile(millis[i], 0.5),
                        InterleavedLatency.quantile(millis[n + i], 0.5), InterleavedLatency.quantile(ratios, 0.5),
                        InterleavedLatency.quantile(ratios, 0.25), InterleavedLatency.quantile(ratios, 0.75),
                        differences.get(i), cpuMs[i] / wallMs[i], cpuMs[n + i] / wallMs[n + i]));
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("benchmark", "ONNX Runtime vs LibTorch, interleaved, median over rounds");
            report.put("options", options);
            report.put("oneDnnMaxCpuIsa", String.valueOf(System.getenv("ONEDNN_MAX_CPU_ISA")));
            report.put("results", results);
            return report;
        } finally {
            for (TimedNetwork script : scripts) {
                script.close();
            }
            for (OnnxRuntimeModel model : onnx) {
                model.close();
            }
            AtomicFiles.deleteTree(folder);
        }
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> report) {
        StringBuilder table = new StringBuilder("ONNX Runtime vs LibTorch, ").append(report.get("options"))
                .append(", ONEDNN_MAX_CPU_ISA=").append(report.get("oneDnnMaxCpuIsa")).append("\n\n");
        table.append("| FLOPs kept | LibTorch median ms | ONNX Runtime median ms | ORT / LibTorch (median of rounds)"
                + " | p25–p75 | max diff vs DJL | CPU / wall LibTorch, ORT |\n|---|---|---|---|---|---|---|\n");
        for (Result r : (List<Result>) report.get("results")) {
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.3f | %.3f–%.3f | %.1e | %.2f, %.2f |%n",
                    r.budget() >= 1 ? "dense" : String.valueOf(r.budget()), r.libTorchMedianMs(),
                    r.onnxRuntimeMedianMs(), r.ratio(), r.ratioP25(), r.ratioP75(), r.maxDifference(),
                    r.libTorchCpuPerWall(), r.onnxRuntimeCpuPerWall()));
        }
        return table.toString();
    }
}
