package io.djlprune.cli;

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
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.Engines;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.memory.LiveArrayRecorder;
import io.djlprune.pipeline.FineTuning;
import java.util.List;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Plain training holds a constant number of native arrays from step to step and from epoch to epoch, on both paths
 * the CLI uses: dense training with SGD ({@link DenseTraining#fit}, as {@code train} and pretraining run it) and
 * fine-tuning of a compacted model ({@link FineTuning#fit}, as {@code prune}, {@code finetune} and
 * {@code sparsify} run it, the compacted parameters on a manager of their own).
 */
public class DenseTrainingMemoryTest {

    private static final Shape SAMPLE = new Shape(1, 12, 12);
    private static final int BATCH = 32;
    private static final int STEPS_PER_EPOCH = 6;
    private static final int EPOCHS = 3;

    @Test
    public void denseTrainingWithSgdDoesNotLeak() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), Engines.PYTORCH)) {
            Engine.getInstance().setRandomSeed(3);
            model.setBlock(smallChain());
            OptimizerOptions sgd = new OptimizerOptions();
            sgd.kind = OptimizerOptions.Kind.sgd;
            sgd.learningRate = 0.01f;
            sgd.weightDecay = 1e-4f;
            LiveArrayRecorder recorder = new LiveArrayRecorder();
            DenseTraining.fit(
                    model, splits(manager), EPOCHS, BATCH, sgd, Device.cpu(), Loss.softmaxCrossEntropyLoss(),
                    checkpointed(), recorder);
            assertFlat("dense SGD", recorder);
        }
    }

    @Test
    public void fineTuningACompactedModelDoesNotLeak() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model dense = Model.newInstance("chain", Device.cpu(), Engines.PYTORCH)) {
            Engine.getInstance().setRandomSeed(3);
            Block block = smallChain();
            dense.setBlock(block);
            Shape input = new Shape(1).addAll(SAMPLE);
            block.initialize(dense.getNDManager(), DataType.FLOAT32, input);
            ChannelGraph graph =
                    ChannelGraph.builder().setInputShape(input).setClassifier(CompactModels.CLASSIFIER).build(block);
            CompactionResult compact =
                    Compactor.builder()
                            .setClassifier(CompactModels.CLASSIFIER)
                            .build()
                            .compact(manager, block, graph, firstHalf(graph));
            LiveArrayRecorder recorder = new LiveArrayRecorder();
            new FineTuning(EPOCHS, 0.01f)
                    .fit(compact.block(), splits(manager), BATCH, Device.cpu(), Engines.PYTORCH, checkpointed(), recorder);
            assertFlat("fine-tuning the compacted model", recorder);
        }
    }

    /** The same count after every step from the second on (the first update creates the momentum) and every epoch. */
    private static void assertFlat(String name, LiveArrayRecorder recorder) {
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

    /** conv 8 → BN → ReLU → pool → conv 16 → BN → ReLU → pool → flatten → fc 32 → ReLU → fc 4. */
    private static Block smallChain() {
        return new SequentialBlock()
                .add(conv(8))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(16))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(32).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(4).build());
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
    }

    /** Keeps the first half of the channels of every prunable group. */
    private static ChannelMask firstHalf(ChannelGraph graph) {
        boolean[][] keep = new boolean[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            for (int c = 0; c < group.size(); c++) {
                keep[group.id()][c] = !group.prunable() || c < group.size() / 2;
            }
        }
        return ChannelMask.of(graph, keep);
    }

    /** Four classes of noisy 12×12 prototypes: 6 training batches, 2 validation batches, 1 test batch. */
    private static DataSplits splits(NDManager manager) {
        Random random = new Random(1);
        float[][] prototypes = new float[4][144];
        for (float[] prototype : prototypes) {
            for (int p = 0; p < prototype.length; p++) {
                prototype[p] = (float) random.nextGaussian();
            }
        }
        return new DataSplits(
                data(manager, BATCH * STEPS_PER_EPOCH, random, prototypes, true),
                data(manager, 2 * BATCH, random, prototypes, false),
                data(manager, BATCH, random, prototypes, false),
                SAMPLE,
                4);
    }

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
                .setData(manager.create(x, new Shape(size).addAll(SAMPLE)))
                .optLabels(manager.create(y))
                .setSampling(BATCH, shuffle)
                .build();
    }

    /** Every epoch ends with a checkpoint, so writing one is part of what must not leak. */
    private static PhaseCheckpoint checkpointed() throws java.io.IOException {
        return new PhaseCheckpoint(
                java.nio.file.Files.createTempDirectory("memory-checkpoint"), java.util.Map.of(), 1, false);
    }
}
