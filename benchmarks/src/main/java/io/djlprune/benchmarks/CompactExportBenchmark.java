package io.djlprune.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.export.TorchScriptWriter;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one-off costs after a mask is chosen, on a deep network (ResNet-56 by default, random weights, L1 mask at a
 * FLOPs budget): selecting the mask, compacting the network, and writing the compact network as TorchScript.
 * Each is timed as a single cold-ish call (JMH's single-shot mode, a few warm-up calls first), since a user runs
 * each once per pruned model.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main
 * CompactExportBenchmark -rf json -rff jmh-compact.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx2g"})
public class CompactExportBenchmark {

    /** The catalog model. */
    @Param({"resnet56"})
    public String model;

    /** The kept FLOPs fraction of the mask, in (0, 1). */
    @Param({"0.5"})
    public double budget;

    /** The device holding the networks: auto, cpu, gpu or gpu:N. */
    @Param({"cpu"})
    public String device;

    /** LibTorch's intra-op threads for the compactor's probes; 0 keeps LibTorch's default (see BenchEngine). */
    @Param({"1"})
    public int threads;

    private NDManager manager;
    private OpClassifier classifier;
    private Block dense;
    private ChannelGraph graph;
    private ChannelMask mask;
    private Block compact;
    private Path folder;
    private Path archive;

    /**
     * Builds the dense network, its graph and mask, and one compact network for the export benchmark.
     *
     * @throws IOException if the temporary folder cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (!(budget > 0 && budget < 1)) {
            throw new IllegalArgumentException("budget is the kept FLOPs fraction, in (0, 1); got " + budget);
        }
        Device runDevice = BenchEngine.prepare(device, threads);
        manager = NDManager.newBaseManager(runDevice);
        classifier = DjlOpClassifier.newInstance();
        dense = BenchModels.randomDense(model, manager, 20_240_601L);
        graph = BenchModels.graph(dense, classifier);
        mask = BenchModels.l1Mask(graph, budget);
        System.out.println("# " + BenchModels.describe(graph, mask));
        compact = Compactor.builder().setClassifier(classifier).build().compact(manager, dense, graph, mask).block();
        folder = Files.createTempDirectory("djlprune-bench");
        archive = folder.resolve(model + "-" + budget + ".pt");
    }

    /**
     * Scores the channels by L1 filter norm and selects the mask for the budget.
     *
     * @return the mask
     */
    @Benchmark
    public ChannelMask selectMask() {
        return BenchModels.l1Mask(graph, budget);
    }

    /**
     * Compacts the dense network under the mask; the compact network's parameters are freed right after.
     *
     * @return the number of compacted layers
     */
    @Benchmark
    public int compact() {
        try (NDManager scope = manager.newSubManager()) {
            CompactionResult result =
                    Compactor.builder().setClassifier(classifier).build().compact(scope, dense, graph, mask);
            return result.layers().size();
        }
    }

    /**
     * Writes the compact network as a TorchScript archive, replacing the previous one.
     *
     * @return the archive's size in bytes
     * @throws IOException if the archive cannot be written
     */
    @Benchmark
    public long export() throws IOException {
        TorchScriptWriter.write(compact, BenchModels.INPUT, classifier, archive);
        return Files.size(archive);
    }

    /**
     * Frees the networks and deletes the archive.
     *
     * @throws IOException if the temporary files cannot be deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        manager.close();
        Files.deleteIfExists(archive);
        Files.delete(folder);
    }
}
