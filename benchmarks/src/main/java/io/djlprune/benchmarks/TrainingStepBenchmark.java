package io.djlprune.benchmarks;

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
 * The cost of one training step (forward, backward, optimiser update) of a catalog model, dense and with ChipNet's
 * gates and loss: the ratio is ChipNet's training overhead. Single steps are sampled, so the results carry a median
 * that resists the steps another process stalled on a shared machine; {@link InterleavedTrainingStep} gives the
 * ratio measured within one process.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main
 * TrainingStepBenchmark -rf json -rff jmh-training.json} (add {@code -p device=gpu} on a CUDA build).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx4g"})
public class TrainingStepBenchmark {

    /** The catalog model. */
    @Param({"resnet20"})
    public String model;

    /** The batch size. */
    @Param({"64"})
    public int batchSize;

    /** The device: auto, cpu, gpu or gpu:N. */
    @Param({"cpu"})
    public String device;

    /** dense: the plain network; chipnet: the same network with gates and the ChipNet loss (soft budget, crispness). */
    @Param({"dense", "chipnet"})
    public String variant;

    /** LibTorch's intra-op threads; 0 keeps LibTorch's default, one per core (why 1: see {@link BenchEngine}). */
    @Param({"1"})
    public int threads;

    private TrainingStepRun run;

    /** Builds the model, its trainer and one fixed random batch. */
    @Setup(Level.Trial)
    public void setUp() {
        run = new TrainingStepRun(model, variant, batchSize, BenchEngine.prepare(device, threads));
    }

    /**
     * One training step.
     *
     * @return the loss, so the work cannot be optimised away
     */
    @Benchmark
    public float step() {
        return run.step();
    }

    /** Frees the model, trainer and batch. */
    @TearDown(Level.Trial)
    public void tearDown() {
        run.close();
    }
}
