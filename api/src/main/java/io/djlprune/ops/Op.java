package io.djlprune.ops;

/**
 * What one leaf block of a DJL network computes, stated precisely enough to count its cost, slice its channels and
 * write it as a TorchScript op. Containers ({@code SequentialBlock}, {@code ParallelBlock}) are structure, not ops;
 * the way a {@code ParallelBlock} merges its branches is a {@link JoinOp}.
 *
 * <p>Every op here is a value: the same description always means the same computation.
 */
public sealed interface Op
        permits Conv2dOp,
                BatchNormOp,
                LinearOp,
                ActivationOp,
                Pool2dOp,
                GlobalPoolOp,
                AdaptiveAvgPool2dOp,
                FlattenOp,
                UnflattenOp,
                IdentityOp,
                DropoutOp,
                JoinOp {}
