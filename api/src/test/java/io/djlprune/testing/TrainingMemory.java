package io.djlprune.testing;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.memory.LiveArrayRecorder;
import io.djlprune.regularize.RegularizedLoss;
import io.djlprune.training.EpochSummaryListener;
import io.djlprune.training.TrainingListeners;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.testng.Assert;

/**
 * Short training runs that prove a training path frees what each step makes. A small conv-BN chain learns a 4-class
 * problem of noisy 12×12 prototypes for {@link #EPOCHS} epochs of {@link #STEPS_PER_EPOCH} steps, configured as the
 * CLI configures its training (the optimiser given, accuracy and the regulariser as metrics, DJL's logging listeners,
 * the epoch summaries) with a {@link LiveArrayRecorder} added last, so it counts what every other listener left; then
 * {@link #assertFlat} requires the same live-array count after every step from the second on and after every epoch.
 */
public final class TrainingMemory {

    /** The input shape of {@link #smallChain()}. */
    public static final Shape INPUT = new Shape(1, 1, 12, 12);

    /** The epochs of a run. */
    public static final int EPOCHS = 3;

    /** The training steps of an epoch. */
    public static final int STEPS_PER_EPOCH = 6;

    private static final int BATCH = 32;

    private TrainingMemory() {}

    /**
     * Returns conv 8 → BN → ReLU → pool → conv 16 → BN → ReLU → pool → flatten → fc 32 → ReLU → fc 4: prunable
     * groups with BatchNorms (for Network Slimming) and a flatten (for the consumer slices of the regularisers).
     *
     * @return a new, uninitialised block
     */
    public static Block smallChain() {
        return new SequentialBlock()
                .add(TestModels.conv(8, 3, 1, 1, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(TestModels.conv(16, 3, 1, 1, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(32).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(4).build());
    }

    /**
     * Sets {@link #smallChain()} as the model's block, initialises it on the model's manager (as the CLI does, so the
     * parameters live as long as the model) with a fixed seed, and builds its channel graph.
     *
     * @param model the model
     * @return the graph
     */
    public static ChannelGraph initialise(Model model) {
        Engine.getInstance().setRandomSeed(3);
        Block block = smallChain();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, INPUT);
        return ChannelGraph.builder().setInputShape(INPUT).setClassifier(new NamedOpClassifier()).build(block);
    }

    /**
     * Returns Adam with a cosine learning rate and weight decay, as {@code djl-prune prune} trains by default.
     *
     * @return the optimiser
     */
    public static Optimizer adam() {
        return Optimizer.adam().optLearningRateTracker(cosine(1e-3f)).optWeightDecays(1e-4f).build();
    }

    /**
     * Returns SGD with momentum 0.9, weight decay 1e-3 and a cosine learning rate, as fine-tuning does.
     *
     * @return the optimiser
     */
    public static Optimizer sgd() {
        return Optimizer.sgd().setLearningRateTracker(cosine(0.01f)).optMomentum(0.9f).optWeightDecays(1e-3f).build();
    }

    private static Tracker cosine(float base) {
        return Tracker.cosine().setBaseValue(base).optFinalValue(0f).setMaxUpdates(EPOCHS * STEPS_PER_EPOCH).build();
    }

    /**
     * Trains the model's (initialised) block with a loss and an optimiser, validating each epoch, and records the
     * live arrays.
     *
     * @param model the model
     * @param loss the training loss; a {@link RegularizedLoss} also reports its regulariser as a metric
     * @param optimizer the optimiser
     * @param listeners more listeners, run before the recorder (e.g. {@code HeldZeros})
     * @return the recorder
     * @throws IOException if the data cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    public static LiveArrayRecorder train(Model model, Loss loss, Optimizer optimizer, TrainingListener... listeners)
            throws IOException, TranslateException {
        LiveArrayRecorder recorder = new LiveArrayRecorder();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(optimizer)
                        .optDevices(new Device[] {Device.cpu()})
                        .addEvaluator(new Accuracy())
                        .addTrainingListeners(TrainingListeners.logging())
                        .addTrainingListeners(new EpochSummaryListener(EPOCHS, "Accuracy"))
                        .addTrainingListeners(listeners)
                        .addTrainingListeners(recorder);
        if (loss instanceof RegularizedLoss regularized) {
            config.addEvaluator(regularized.regularizerMetric());
        }
        try (NDManager data = model.getNDManager().newSubManager();
                Trainer trainer = model.newTrainer(config)) {
            float[][] prototypes = prototypes(new Random(1));
            ArrayDataset train = data(data, BATCH * STEPS_PER_EPOCH, new Random(2), prototypes, true);
            ArrayDataset validation = data(data, 2 * BATCH, new Random(3), prototypes, false);
            trainer.initialize(new Shape(BATCH).addAll(INPUT.slice(1)));
            EasyTrain.fit(trainer, EPOCHS, train, validation);
        }
        return recorder;
    }

    /**
     * Asserts a run held the same number of live arrays after every training step from the second on (the first
     * step's update creates the optimiser's state) and after every epoch: a count that grows is a leak.
     *
     * @param name the training path, for the failure message
     * @param recorder the run's recorder
     */
    public static void assertFlat(String name, LiveArrayRecorder recorder) {
        List<Integer> steps = recorder.getStepCounts();
        Assert.assertEquals(steps.size(), EPOCHS * STEPS_PER_EPOCH, name + ": steps recorded");
        for (int s = 2; s < steps.size(); s++) {
            Assert.assertEquals(
                    steps.get(s), steps.get(1), name + ": live arrays after step " + s + " of the counts " + steps);
        }
        List<Integer> ends = recorder.getEpochCounts();
        Assert.assertEquals(ends.size(), EPOCHS, name + ": epochs recorded");
        for (int e = 1; e < ends.size(); e++) {
            Assert.assertEquals(
                    ends.get(e), ends.get(0), name + ": live arrays after epoch " + e + " of the counts " + ends);
        }
    }

    /** Four class prototypes of 144 Gaussian pixels. */
    private static float[][] prototypes(Random random) {
        float[][] prototypes = new float[4][144];
        for (float[] prototype : prototypes) {
            for (int p = 0; p < prototype.length; p++) {
                prototype[p] = (float) random.nextGaussian();
            }
        }
        return prototypes;
    }

    /** Noisy copies of the prototypes, classes in turn. */
    private static ArrayDataset data(NDManager manager, int size, Random random, float[][] prototypes, boolean shuffle) {
        float[] x = new float[size * 144];
        float[] y = new float[size];
        for (int i = 0; i < size; i++) {
            y[i] = i % 4;
            for (int p = 0; p < 144; p++) {
                x[i * 144 + p] = prototypes[i % 4][p] + 0.8f * (float) random.nextGaussian();
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(size, 1, 12, 12)))
                .optLabels(manager.create(y))
                .setSampling(BATCH, shuffle)
                .build();
    }
}
