package io.djlprune.testing;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.djlprune.ops.JoinOp;
import java.util.Arrays;

/** Small networks for the api tests, built from DJL's own blocks. */
public final class TestModels {

    private TestModels() {}

    /** LeNet-5 (20-50-800-500) on 1×28×28. */
    public static Block lenet5() {
        return new SequentialBlock()
                .add(conv(20, 5, 1, 0, true))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(50, 5, 1, 0, true))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(500).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** A VGG-style chain with BatchNorm: conv-BN-ReLU ×2, pool, conv-BN-ReLU ×2, pool, flatten, fc, fc. */
    public static Block vggChain() {
        SequentialBlock net = new SequentialBlock();
        int[] widths = {16, 16, 32, 32};
        for (int i = 0; i < widths.length; i++) {
            net.add(conv(widths[i], 3, 1, 1, false)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
            if (i % 2 == 1) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(64).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** A two-stage residual network (identity then projection shortcut), joins declared to the classifier. */
    public static Block residual(NamedOpClassifier classifier) {
        return new SequentialBlock()
                .add(conv(8, 3, 1, 1, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(residualUnit(classifier, 8, 1, false))
                .add(residualUnit(classifier, 16, 2, true))
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** One basic residual unit: conv-BN-ReLU-conv-BN plus a shortcut, summed, then ReLU. */
    public static Block residualUnit(NamedOpClassifier classifier, int filters, int stride, boolean project) {
        Block main =
                new SequentialBlock()
                        .add(conv(filters, 3, stride, 1, false))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(conv(filters, 3, 1, 1, false))
                        .add(BatchNorm.builder().build());
        Block shortcut =
                project
                        ? new SequentialBlock().add(conv(filters, 1, stride, 0, false)).add(BatchNorm.builder().build())
                        : Blocks.identityBlock();
        ParallelBlock add =
                new ParallelBlock(
                        list -> new NDList(NDArrays.add(list.get(0).singletonOrThrow(), list.get(1).singletonOrThrow())),
                        Arrays.asList(main, shortcut));
        classifier.declare(add, new JoinOp(JoinOp.Kind.ADD, 1));
        return new SequentialBlock().add(add).add(Activation.reluBlock());
    }

    /** A convolution with square kernel, stride and padding. */
    public static Conv2d conv(int filters, int kernel, int stride, int padding, boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(bias)
                .build();
    }
}
