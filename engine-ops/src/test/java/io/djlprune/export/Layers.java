package io.djlprune.export;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.djlprune.nn.AdaptiveAvgPool2d;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.AdaptiveAvgPool2dOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.DropoutOp;
import io.djlprune.ops.FlattenOp;
import io.djlprune.ops.GlobalPoolOp;
import io.djlprune.ops.IdentityOp;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.PoolKind;
import io.djlprune.ops.Pool2dOp;
import java.util.Arrays;
import java.util.List;

/** Builds DJL test layers and records, for each, the op the real classifier is meant to return. */
final class Layers {

    final RecordingClassifier classifier = new RecordingClassifier();

    Block conv(int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        Conv2d conv =
                Conv2d.builder()
                        .setKernelShape(new Shape(kernel, kernel))
                        .setFilters(out)
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(padding, padding))
                        .optGroups(groups)
                        .optBias(bias)
                        .build();
        return classifier.leaf(
                conv,
                new Conv2dOp(
                        in,
                        out,
                        new int[] {kernel, kernel},
                        new int[] {stride, stride},
                        new int[] {padding, padding},
                        new int[] {1, 1},
                        groups,
                        bias));
    }

    Block batchNorm(int channels) {
        return batchNorm(channels, 1e-5f, 0.9f);
    }

    Block batchNorm(int channels, float epsilon, float momentum) {
        BatchNorm norm = BatchNorm.builder().optEpsilon(epsilon).optMomentum(momentum).build();
        return classifier.leaf(norm, new BatchNormOp(channels, epsilon, momentum, true, true));
    }

    Block linear(long in, long out) {
        return classifier.leaf(Linear.builder().setUnits(out).build(), new LinearOp(in, out, true));
    }

    Block relu() {
        return activation(Activation.reluBlock(), ActivationOp.Kind.RELU, 0);
    }

    Block activation(Block block, ActivationOp.Kind kind, float alpha) {
        return classifier.leaf(block, new ActivationOp(kind, alpha));
    }

    Block maxPool(int kernel, int stride, int padding) {
        Block pool =
                Pool.maxPool2dBlock(
                        new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding), false);
        return classifier.leaf(pool, pool2d(PoolKind.MAX, kernel, stride, padding, false, true));
    }

    Block avgPool(int kernel, int stride, int padding, boolean ceil, boolean countIncludePad) {
        Block pool =
                Pool.avgPool2dBlock(
                        new Shape(kernel, kernel),
                        new Shape(stride, stride),
                        new Shape(padding, padding),
                        ceil,
                        countIncludePad);
        // Measured: DJL 0.35's PyTorch JNI (torchNNAvgPool) never passes count_include_pad to LibTorch, so the block
        // always counts padded zeros whatever the builder says; the op must describe what the engine computes.
        return classifier.leaf(pool, pool2d(PoolKind.AVG, kernel, stride, padding, ceil, true));
    }

    /** True mish, x·tanh(ln(1 + eˣ)); DJL 0.35's {@code Activation.mishBlock()} uses log₂, so it is not mish. */
    Block mish() {
        Block block = LambdaBlock.singleton(x -> x.mul(Activation.softPlus(x).tanh()), "mish");
        return classifier.leaf(block, new ActivationOp(ActivationOp.Kind.MISH, 0));
    }

    Block globalAvgPool() {
        return classifier.leaf(Pool.globalAvgPool2dBlock(), new GlobalPoolOp(PoolKind.AVG));
    }

    Block globalMaxPool() {
        return classifier.leaf(Pool.globalMaxPool2dBlock(), new GlobalPoolOp(PoolKind.MAX));
    }

    Block flatten() {
        return classifier.leaf(Blocks.batchFlattenBlock(), new FlattenOp());
    }

    Block identity() {
        return classifier.leaf(Blocks.identityBlock(), new IdentityOp());
    }

    Block adaptiveAvgPool(int height, int width) {
        return classifier.leaf(AdaptiveAvgPool2d.builder().setOutputSize(height, width).build(),
                new AdaptiveAvgPool2dOp(height, width));
    }

    Block dropout(float rate) {
        return classifier.leaf(Dropout.builder().optRate(rate).build(), new DropoutOp(rate));
    }

    SequentialBlock sequential(Block... blocks) {
        return new SequentialBlock().addAll(blocks);
    }

    ParallelBlock add(Block... branches) {
        ParallelBlock block =
                new ParallelBlock(
                        list -> {
                            NDList sum = list.get(0);
                            for (NDList branch : list.subList(1, list.size())) {
                                sum = new NDList(NDArrays.add(sum.singletonOrThrow(), branch.singletonOrThrow()));
                            }
                            return sum;
                        },
                        Arrays.asList(branches));
        return classifier.join(block, new JoinOp(JoinOp.Kind.ADD, 1));
    }

    /** A residual sum followed by ReLU inside the join function, as DJL's own ResNetV1 builds it. */
    ParallelBlock addRelu(Block... branches) {
        ParallelBlock block =
                new ParallelBlock(
                        list -> new NDList(
                                ai.djl.nn.Activation.relu(
                                        NDArrays.add(list.get(0).singletonOrThrow(), list.get(1).singletonOrThrow()))),
                        Arrays.asList(branches));
        return classifier.join(block, JoinOp.add().withPost(new io.djlprune.ops.ActivationOp(io.djlprune.ops.ActivationOp.Kind.RELU, 0)));
    }

    ParallelBlock concat(Block... branches) {
        ParallelBlock block =
                new ParallelBlock(
                        list -> {
                            NDList all = new NDList();
                            for (NDList branch : list) {
                                all.add(branch.singletonOrThrow());
                            }
                            return new NDList(NDArrays.concat(all, 1));
                        },
                        List.of(branches));
        return classifier.join(block, new JoinOp(JoinOp.Kind.CONCAT, 1));
    }

    private static Pool2dOp pool2d(
            PoolKind kind, int kernel, int stride, int padding, boolean ceil, boolean countIncludePad) {
        return new Pool2dOp(
                kind,
                new int[] {kernel, kernel},
                new int[] {stride, stride},
                new int[] {padding, padding},
                ceil,
                countIncludePad);
    }
}
