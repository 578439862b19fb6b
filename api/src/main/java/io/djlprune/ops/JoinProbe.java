package io.djlprune.ops;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParallelBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Identifies the join function of a {@link ParallelBlock}: an element-wise sum or a concatenation along some axis,
 * each optionally followed by an element-wise activation (DJL's ResNetV1 joins with {@code relu(a + b)}).
 *
 * <p>DJL keeps the function in a private field and offers no way to call it apart from the branches, so it is read
 * reflectively and called on designed branch outputs of the given shapes: branch 0 carries the
 * {@link ActivationProbe#DESIGNED} values and the other branches are zero there, so a sum still holds those values
 * exactly and a post-activation can be identified the same way as an activation block.
 */
final class JoinProbe {

    /** Seed of the probe inputs; fixed so that a classification is reproducible. */
    private static final long SEED = 0x5EEDL;

    private final ParallelBlock block;
    private final Shape[] shapes;
    private final String path;

    /**
     * Creates the probe.
     *
     * @param block the parallel block
     * @param shapes the output shape of each branch
     * @param path the block's path
     */
    JoinProbe(ParallelBlock block, Shape[] shapes, String path) {
        this.block = block;
        this.shapes = probingShapes(shapes);
        this.path = path;
    }

    /** Cuts the batch axis to two samples, unless the branches differ in it (then it may be the concat axis). */
    private static Shape[] probingShapes(Shape[] shapes) {
        Shape[] probing = shapes.clone();
        for (Shape shape : shapes) {
            if (shape.dimension() == 0 || shape.get(0) != shapes[0].get(0)) {
                return probing;
            }
        }
        for (int b = 0; b < probing.length; b++) {
            probing[b] = ProbeSupport.probingShape(shapes[b]);
        }
        return probing;
    }

    /**
     * Identifies the join.
     *
     * @return the join
     * @throws UnsupportedBlockException if it is not a sum or concatenation, optionally followed by a known activation
     */
    JoinOp classify() {
        for (Shape shape : shapes) {
            ProbeSupport.requireConcrete(shape, "Branch output shapes of '" + path + "'");
        }
        @SuppressWarnings("unchecked")
        Function<List<NDList>, NDList> function =
                PrivateFields.read(block, ParallelBlock.class, "function", Function.class, path);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Random random = new Random(SEED);
            List<List<NDArray>> runs = branchInputs(manager, random);
            List<NDArray> outputs = new ArrayList<>();
            for (List<NDArray> branches : runs) {
                outputs.add(call(function, branches));
            }
            List<JoinOp> matches = new ArrayList<>();
            if (allShapesEqual()) {
                collect(JoinOp.add(), sums(runs), outputs, matches);
            }
            for (int axis = 0; axis < shapes[0].dimension(); axis++) {
                if (concatenable(axis)) {
                    collect(JoinOp.concat(axis), concats(runs, axis), outputs, matches);
                }
            }
            if (matches.size() == 1 || (shapes.length == 1 && !matches.isEmpty())) {
                // With one branch every sum and concatenation is the identity; the sum is the plain spelling.
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw refuse("its join matches several merges: " + matches, null);
            }
            throw refuse(describe(runs, outputs), null);
        }
    }

    /** Adds every description "merge, then element-wise function" that reproduces all outputs. */
    private static void collect(JoinOp merge, List<NDArray> merged, List<NDArray> outputs, List<JoinOp> matches) {
        for (Op post : ActivationProbe.identify(merged, outputs)) {
            matches.add(post instanceof ActivationOp activation ? merge.withPost(activation) : merge);
        }
    }

    private List<List<NDArray>> branchInputs(NDManager manager, Random random) {
        List<List<NDArray>> runs = new ArrayList<>();
        int prefix = ActivationProbe.designedPrefix(shapes[0]);
        for (NDArray first : ActivationProbe.inputs(manager, random, shapes[0])) {
            List<NDArray> branches = new ArrayList<>();
            branches.add(first);
            for (int b = 1; b < shapes.length; b++) {
                float[] values = ProbeSupport.symmetric(manager, random, shapes[b], 8f).toFloatArray();
                Arrays.fill(values, 0, Math.min(prefix, values.length), 0f);
                branches.add(manager.create(values, shapes[b]));
            }
            runs.add(branches);
        }
        return runs;
    }

    private NDArray call(Function<List<NDList>, NDList> function, List<NDArray> branches) {
        List<NDList> input = new ArrayList<>();
        for (NDArray branch : branches) {
            input.add(new NDList(branch));
        }
        NDList output;
        try {
            output = function.apply(input);
        } catch (RuntimeException e) {
            throw refuse("its join function failed on branch outputs of shapes " + Arrays.toString(shapes), e);
        }
        if (output == null || output.size() != 1) {
            throw refuse(
                    "its join function returned " + (output == null ? "null" : output.size() + " arrays")
                            + "; djl-prune describes joins that return one array",
                    null);
        }
        return output.head();
    }

    private static List<NDArray> sums(List<List<NDArray>> runs) {
        List<NDArray> sums = new ArrayList<>();
        for (List<NDArray> branches : runs) {
            NDArray sum = branches.get(0);
            for (int b = 1; b < branches.size(); b++) {
                sum = sum.add(branches.get(b));
            }
            sums.add(sum);
        }
        return sums;
    }

    private static List<NDArray> concats(List<List<NDArray>> runs, int axis) {
        List<NDArray> concats = new ArrayList<>();
        for (List<NDArray> branches : runs) {
            concats.add(NDArrays.concat(new NDList(branches), axis));
        }
        return concats;
    }

    private boolean allShapesEqual() {
        for (Shape shape : shapes) {
            if (!ProbeSupport.sameShape(shape, shapes[0])) {
                return false;
            }
        }
        return true;
    }

    private boolean concatenable(int axis) {
        for (Shape shape : shapes) {
            if (shape.dimension() != shapes[0].dimension()) {
                return false;
            }
            for (int d = 0; d < shape.dimension(); d++) {
                if (d != axis && shape.get(d) != shapes[0].get(d)) {
                    return false;
                }
            }
        }
        return true;
    }

    private String describe(List<List<NDArray>> runs, List<NDArray> outputs) {
        List<NDArray> last = runs.get(runs.size() - 1);
        StringBuilder text =
                new StringBuilder("its join maps branch outputs of shapes ")
                        .append(Arrays.toString(shapes))
                        .append(" to ")
                        .append(outputs.get(outputs.size() - 1).getShape())
                        .append(", which is neither a sum nor a concatenation, alone or followed by a known"
                                + " activation (on random input: ");
        for (int b = 0; b < last.size(); b++) {
            text.append("branch ").append(b).append(' ').append(ProbeSupport.head(last.get(b), 4)).append(", ");
        }
        return text.append("output ").append(ProbeSupport.head(outputs.get(outputs.size() - 1), 4)).append(')')
                .toString();
    }

    private UnsupportedBlockException refuse(String reason, Throwable cause) {
        return new UnsupportedBlockException(path, block.getClass().getName(), reason, cause);
    }
}
