package io.djlprune.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.djlprune.chipnet.ChipNetLoss;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.cost.Budget;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.engine.Engines;
import io.djlprune.zoo.model.ModelCatalog;
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
 * that resists the steps another process stalled on a shared machine.
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

    private Model net;
    private Trainer trainer;
    private NDManager manager;
    private NDArray data;
    private NDArray labels;

    /** Builds the model, its trainer and one fixed random batch. */
    @Setup(Level.Trial)
    public void setUp() {
        Device runDevice = BenchEngine.prepare(device, threads);
        net = Model.newInstance(model, runDevice, Engines.PYTORCH);
        Loss loss = Loss.softmaxCrossEntropyLoss();
        Block dense = ModelCatalog.build(model, 10);
        if (variant.equals("chipnet")) {
            Shape one = new Shape(1, 1, 28, 28);
            dense.initialize(net.getNDManager(), DataType.FLOAT32, one);
            ChannelGraph graph =
                    ChannelGraph.builder().setInputShape(one).setClassifier(DjlOpClassifier.newInstance()).build(dense);
            GatedNetwork gated = GatedNetwork.of(dense, graph);
            net.setBlock(gated.getBlock());
            loss = ChipNetLoss.builder().setNetwork(gated).setBudget(Budget.parse("flops=0.25")).build();
        } else if (variant.equals("dense")) {
            net.setBlock(dense);
        } else {
            throw new IllegalArgumentException("variant must be dense or chipnet, got '" + variant + "'");
        }
        // the same optimiser for both, so the difference is the gates and the ChipNet loss terms
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                        .optDevices(new Device[] {runDevice});
        trainer = net.newTrainer(config);
        Shape input = new Shape(batchSize, 1, 28, 28);
        trainer.initialize(input);
        manager = NDManager.newBaseManager(runDevice);
        data = manager.randomNormal(input);
        labels = manager.randomInteger(0, 10, new Shape(batchSize), ai.djl.ndarray.types.DataType.INT32)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
    }

    /**
     * One training step; every array it creates is freed with its scope, so native memory stays flat.
     *
     * @return the loss, so the work cannot be optimised away
     */
    @Benchmark
    public float step() {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            // Lent to the scope, so every intermediate of the step is freed with it.
            data.tempAttach(scope);
            labels.tempAttach(scope);
            NDList predictions = trainer.forward(new NDList(data));
            predictions.attach(scope);
            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), predictions);
            collector.backward(loss);
            trainer.step();
            return loss.getFloat();
        }
    }

    /** Frees the model, trainer and batch. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        net.close();
        manager.close();
    }
}
