package io.djlprune.ops;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies DJL's opaque {@link LambdaBlock}s (activations, pooling, flattening and the identity are all lambdas in
 * DJL) by running them on designed inputs and accepting a description only if the outputs match it exactly. The
 * block's name is reported in messages but never trusted: a lambda can be named anything.
 *
 * <p>The shape change chooses the family: an unchanged shape is tried as an element-wise function, then (for NCHW) as a
 * size-preserving pooling; {@code (N, C)} from NCHW as global pooling, then as a flatten of a 1×1 map;
 * {@code (N, C·H·W)} as a flatten; NCHW to NCHW with other spatial sizes as a windowed pooling.
 */
final class LambdaProbe implements OpRule {

    /** {@inheritDoc} */
    @Override
    public Op describe(Block block, Shape inputShape, String path) {
        ProbeSupport.requireConcrete(inputShape, "The input shape of '" + path + "'");
        Shape probed = ProbeSupport.probingShape(inputShape);
        // Probing runs on the CPU in float32: the decision must not depend on the device the model lives on.
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            return new Run(new ProbeSession(block, path, manager), probed, nameOf(block)).classify();
        }
    }

    private static String nameOf(Block block) {
        return block instanceof LambdaBlock lambda ? lambda.getName() : block.getClass().getSimpleName();
    }

    /** One classification, at the probing shape (the real shape with at most two samples). */
    private static final class Run {

        private final ProbeSession session;
        private final Shape input;
        private final String name;

        Run(ProbeSession session, Shape input, String name) {
            this.session = session;
            this.input = input;
            this.name = name;
        }

        Op classify() {
            Shape output = session.run(random(input)).getShape();
            int rank = input.dimension();
            long batch = input.get(0);
            if (ProbeSupport.sameShape(output, input)) {
                return shapePreserving();
            }
            List<String> observed = new ArrayList<>();
            if (rank == 4 && ProbeSupport.sameShape(output, input.slice(0, 2))) {
                try {
                    ProbeResult global = new PoolProbe(session, input).global();
                    if (global.isFound()) {
                        return global.op();
                    }
                    observed.add(global.observed());
                } catch (UnsupportedBlockException e) {
                    // global pooling is probed at other map sizes; a reshape with built-in sizes fails there but
                    // may still be a flatten of a 1×1 map, tried next
                    observed.add("is no global pooling (" + e.getMessage() + ")");
                }
            }
            if (rank > 2 && ProbeSupport.sameShape(output, new Shape(batch, input.size() / batch))) {
                ProbeResult flatten = flatten();
                if (flatten.isFound()) {
                    return flatten.op();
                }
                observed.add(flatten.observed());
            }
            if (rank == 2 && ProbeSupport.sameShape(output, new Shape(batch, input.get(1), 1, 1))) {
                ProbeResult unflatten = unflatten();
                if (unflatten.isFound()) {
                    return unflatten.op();
                }
                observed.add(unflatten.observed());
            }
            if (rank == 4 && output.dimension() == 4 && output.get(0) == batch && output.get(1) == input.get(1)) {
                ProbeResult pool = new PoolProbe(session, input).windowed();
                if (pool.isFound()) {
                    return pool.op();
                }
                observed.add(pool.observed());
            }
            observed.add(0, "lambda '" + name + "' maps " + input + " to " + output);
            if (observed.size() == 1) {
                observed.add(
                        "no shape change djl-prune knows (element-wise, global pooling, flatten, windowed pooling)");
            }
            throw session.refuse(String.join("; ", observed));
        }

        /** The shape is kept: an element-wise function, or a pooling that keeps the size (3×3, stride 1, pad 1). */
        private Op shapePreserving() {
            List<NDArray> xs = ActivationProbe.inputs(session.manager(), session.random(), input);
            List<NDArray> ys = new ArrayList<>();
            for (NDArray x : xs) {
                ys.add(session.run(x));
            }
            List<Op> elementwise = ActivationProbe.identify(xs, ys);
            if (elementwise.size() == 1) {
                return elementwise.get(0);
            }
            if (elementwise.size() > 1) {
                throw session.refuse("lambda '" + name + "' matches several element-wise functions: " + elementwise);
            }
            String observed =
                    "lambda '" + name + "' keeps the shape " + input + " but is no known element-wise function ("
                            + ActivationProbe.observed(xs, ys) + "; " + locality() + ")";
            if (input.dimension() == 4) {
                ProbeResult pool = new PoolProbe(session, input).windowed();
                if (pool.isFound()) {
                    return pool.op();
                }
                observed += " and no size-preserving pooling (" + pool.observed() + ")";
            }
            throw session.refuse(observed);
        }

        /** Checks {@code (N, ...) → (N, product)} element for element against a row-major reshape. */
        private ProbeResult flatten() {
            for (int i = 0; i < 2; i++) {
                NDArray x = random(input);
                if (!ProbeSupport.matches(session.run(x), x.reshape(input.get(0), -1))) {
                    return ProbeResult.notFound("has the shape of a batch flatten but reorders or changes the values");
                }
            }
            return ProbeResult.found(new FlattenOp());
        }

        /**
         * Checks {@code (N, C) → (N, C, 1, 1)} value for value, then whether the block does the same for another
         * channel count (a lambda with its count built in cannot follow its channels being pruned).
         */
        private ProbeResult unflatten() {
            NDArray x = random(input);
            if (!ProbeSupport.matches(session.run(x), x.reshape(input.get(0), input.get(1), 1, 1))) {
                return ProbeResult.notFound("has the shape of (N, C) → (N, C, 1, 1) but reorders or changes the values");
            }
            boolean generic = false;
            if (input.get(1) > 1) {
                Shape fewer = new Shape(input.get(0), input.get(1) - 1);
                NDArray y = random(fewer);
                try {
                    generic = ProbeSupport.matches(session.run(y), y.reshape(fewer.get(0), fewer.get(1), 1, 1));
                } catch (RuntimeException e) {
                    // it failed on another channel count: its count is built in, which the op records
                    generic = false;
                }
            }
            return ProbeResult.found(new UnflattenOp(generic));
        }

        /** Says how many outputs change when one input element changes: 1 for an element-wise function. */
        private String locality() {
            NDArray x = random(input);
            float[] values = x.toFloatArray();
            values[0] += 1f;
            NDArray nudged = session.manager().create(values, input);
            long changed = session.run(x).neq(session.run(nudged)).sum().getLong();
            return "changing one input element changed " + changed + " output element" + (changed == 1 ? "" : "s");
        }

        private NDArray random(Shape shape) {
            return ProbeSupport.symmetric(session.manager(), session.random(), shape, 2f);
        }
    }
}
