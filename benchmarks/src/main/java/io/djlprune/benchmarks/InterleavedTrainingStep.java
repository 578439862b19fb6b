package io.djlprune.benchmarks;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ChipNet's training overhead measured in one process: a dense and a gated copy of a catalog model take training
 * steps in turn, and the overhead is the median over rounds of the gated step's time divided by the dense step's time
 * of the same round. Why: see {@link InterleavedLatency}; JMH forks on a shared VM differ more than the overhead.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*"
 * io.djlprune.benchmarks.InterleavedTrainingStep out.json [model] [batch] [rounds] [device] [threads]}, defaults
 * resnet20 64 30 cpu 1.
 */
public final class InterleavedTrainingStep {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int WARMUP = 3;

    private InterleavedTrainingStep() {}

    /**
     * Runs the measurement and writes its JSON.
     *
     * @param args the output JSON path, then optionally model, batch, rounds, device, threads
     * @throws Exception if the runs cannot be built or the output cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: InterleavedTrainingStep <out.json> [model] [batch] [rounds] [device] [threads]");
            System.exit(2);
        }
        String model = args.length > 1 ? args[1] : "resnet20";
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Device device = BenchEngine.prepare(args.length > 4 ? args[4] : "cpu", args.length > 5 ? Integer.parseInt(args[5]) : 1);
        double[] dense = new double[rounds];
        double[] gated = new double[rounds];
        double[] ratios = new double[rounds];
        try (TrainingStepRun denseRun = new TrainingStepRun(model, "dense", batch, device);
                TrainingStepRun chipnetRun = new TrainingStepRun(model, "chipnet", batch, device)) {
            for (int round = -WARMUP; round < rounds; round++) {
                // alternate which goes first, so neither always follows the other
                boolean denseFirst = Math.floorMod(round, 2) == 0;
                double a = time(denseFirst ? denseRun : chipnetRun);
                double b = time(denseFirst ? chipnetRun : denseRun);
                if (round >= 0) {
                    dense[round] = denseFirst ? a : b;
                    gated[round] = denseFirst ? b : a;
                    ratios[round] = gated[round] / dense[round];
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "interleaved training step, dense vs ChipNet (gates + loss), median over rounds");
        report.put("model", model);
        report.put("batch", batch);
        report.put("rounds", rounds);
        report.put("device", device.toString());
        report.put("oneDnnMaxCpuIsa", String.valueOf(System.getenv("ONEDNN_MAX_CPU_ISA")));
        report.put("denseMedianMs", InterleavedLatency.quantile(dense, 0.5));
        report.put("chipnetMedianMs", InterleavedLatency.quantile(gated, 0.5));
        report.put("overheadMedian", InterleavedLatency.quantile(ratios, 0.5));
        report.put("overheadP25", InterleavedLatency.quantile(ratios, 0.25));
        report.put("overheadP75", InterleavedLatency.quantile(ratios, 0.75));
        AtomicFiles.write(Path.of(args[0]).toAbsolutePath(), GSON.toJson(report).getBytes(StandardCharsets.UTF_8));
        System.out.printf(Locale.ROOT, "dense %.1f ms, chipnet %.1f ms, overhead %.3f× (p25–p75 %.3f–%.3f)%n",
                report.get("denseMedianMs"), report.get("chipnetMedianMs"), report.get("overheadMedian"),
                report.get("overheadP25"), report.get("overheadP75"));
    }

    private static double time(TrainingStepRun run) {
        long start = System.nanoTime();
        run.step();
        return (System.nanoTime() - start) / 1e6;
    }
}
