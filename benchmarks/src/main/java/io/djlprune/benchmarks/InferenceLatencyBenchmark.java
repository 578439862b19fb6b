package io.djlprune.benchmarks;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.export.TorchScriptWriter;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
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
 * Inference latency of a catalog model (ResNet-20 by default, random weights) dense and compacted at FLOPs budgets,
 * in two forms: the DJL block's own forward in inference mode, and the TorchScript {@code .pt} that
 * {@link TorchScriptWriter} writes, loaded back through LibTorch. One operation is one forward of one batch; the
 * compacted/dense ratio of the same batch, form and device is the speed-up pruning buys.
 *
 * <p>Masks come from {@link BenchModels#l1Mask} (L1 filter norms through the MaskSelector), so the compacted widths
 * are the uneven ones a real criterion produces, not a uniform shrink; {@link #order} picks the selector's order and
 * rounding. The setup prints each mask's kept channels.
 *
 * <p>JMH samples the time of single operations, so the results carry percentiles besides the mean: on a shared
 * machine the median resists the operations another process stalled, and {@link LatencyRatios} compares medians.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main
 * InferenceLatencyBenchmark -rf json -rff jmh-inference.json}; {@code -p batch=64 -p form=pt} narrows the grid.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx2g"})
public class InferenceLatencyBenchmark {

    /** The catalog model. */
    @Param({"resnet20"})
    public String model;

    /** The kept FLOPs fraction; 1.0 times the dense network itself. */
    @Param({"1.0", "0.5", "0.25", "0.1"})
    public double budget;

    /** The batch size of one forward. */
    @Param({"1", "64"})
    public int batch;

    /** djl: the block's forward in inference mode; pt: the exported TorchScript loaded through LibTorch. */
    @Param({"djl", "pt"})
    public String form;

    /**
     * How the mask gives up channels ({@link BenchModels#selector}): global L1 order, or lowest L1 norm per activation
     * volume saved with kept counts rounded to 16 channels, the AVX-512 block width.
     */
    @Param({"global", "volume-r16"})
    public String order;

    /** The device: auto, cpu, gpu or gpu:N. */
    @Param({"cpu"})
    public String device;

    /** LibTorch's intra-op threads; 0 keeps LibTorch's default, one per core (why 1: see {@link BenchEngine}). */
    @Param({"1"})
    public int threads;

    private NDManager manager;
    private TimedNetwork network;
    private NDArray input;

    /**
     * Builds the network in the requested form and one fixed random batch; for the pt form also checks that the
     * loaded archive computes what the block computes, so the timed module is the right one.
     *
     * @throws IOException if the archive cannot be written or read
     * @throws MalformedModelException if LibTorch refuses the archive
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException, MalformedModelException {
        if (!(budget > 0 && budget <= 1)) {
            throw new IllegalArgumentException("budget is the kept FLOPs fraction, in (0, 1]; got " + budget);
        }
        manager = NDManager.newBaseManager(BenchEngine.prepare(device, threads));
        OpClassifier classifier = DjlOpClassifier.newInstance();
        Block dense = BenchModels.randomDense(model, manager, 20_240_601L);
        Block block = budget >= 1
                ? dense
                : BenchModels.compact(manager, dense, classifier, budget, BenchModels.selector(order)).block();
        input = manager.randomNormal(new Shape(batch, 1, 28, 28));
        network = TimedNetwork.of(form, block, model + "-" + budget, classifier, input);
    }

    /**
     * One forward of one batch, in a scope that frees everything it creates.
     *
     * @return the first output value, read back so the forward cannot be skipped and a GPU run is synchronised
     */
    @Benchmark
    public float forward() {
        try (NDManager scope = manager.newSubManager()) {
            return network.forward(scope, input);
        }
    }

    /** Frees the module, the network and the batch, and deletes the archive. */
    @TearDown(Level.Trial)
    public void tearDown() {
        network.close();
        manager.close();
    }
}
