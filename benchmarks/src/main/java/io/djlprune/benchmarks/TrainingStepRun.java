package io.djlprune.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlprune.chipnet.ChipNetLoss;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.cost.Budget;
import io.djlprune.engine.Engines;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.zoo.model.ModelCatalog;

/**
 * A catalog model, its trainer and one fixed random batch, ready to take training steps: dense, or with ChipNet's
 * gates and loss. Both variants use the same optimiser, so the difference between them is the gates and the loss
 * terms. Shared by {@link TrainingStepBenchmark} and {@link InterleavedTrainingStep}.
 */
final class TrainingStepRun implements AutoCloseable {

    private final Model net;
    private final Trainer trainer;
    private final NDManager manager;
    private final NDArray data;
    private final NDArray labels;

    /**
     * Builds the run.
     *
     * @param model a catalog model for 1×28×28 inputs
     * @param variant dense or chipnet
     * @param batchSize the batch size
     * @param device the device
     * @throws IllegalArgumentException for an unknown variant
     */
    TrainingStepRun(String model, String variant, int batchSize, Device device) {
        net = Model.newInstance(model, device, Engines.PYTORCH);
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
            net.close();
            throw new IllegalArgumentException("variant must be dense or chipnet, got '" + variant + "'");
        }
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                        .optDevices(new Device[] {device});
        trainer = net.newTrainer(config);
        Shape input = new Shape(batchSize, 1, 28, 28);
        trainer.initialize(input);
        manager = NDManager.newBaseManager(device);
        data = manager.randomNormal(input);
        labels = manager.randomInteger(0, 10, new Shape(batchSize), DataType.INT32).toType(DataType.FLOAT32, false);
    }

    /**
     * One training step (forward, loss, backward, optimiser update); every array it creates is freed with its scope,
     * so native memory stays flat.
     *
     * @return the loss, so the work cannot be optimised away
     */
    float step() {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            // lent to the scope, so every intermediate of the step is freed with it
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

    /** Frees the trainer, the model and the batch. */
    @Override
    public void close() {
        trainer.close();
        net.close();
        manager.close();
    }
}
