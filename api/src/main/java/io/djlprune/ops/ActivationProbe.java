package io.djlprune.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.djlprune.ops.ActivationOp.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Identifies an element-wise function from input/output pairs: the identity or one of the {@link ActivationOp}
 * kinds, each evaluated by DJL's own {@link Activation} function, so that "matches" means "computes what the
 * engine's op computes".
 *
 * <p>The inputs it designs hold every value of {@link #DESIGNED}: zero (for {@link ActivationOp#valueAtZero()}),
 * negatives (ReLU against leaky ReLU and ELU), values above 6 (ReLU against ReLU6), −1 (where leaky ReLU gives −α
 * exactly) and −30 (where ELU gives −α exactly in float32), plus random values everywhere else, which also expose any
 * dependence on position or on other elements.
 */
final class ActivationProbe {

    /** Input values every element-wise candidate is checked on; all exactly representable in float32. */
    static final float[] DESIGNED = {
        -30f, -8f, -6.5f, -6f, -4f, -3f, -2f, -1.5f, -1f, -0.75f, -0.5f, -0.25f, -0.125f, -0x1p-10f, 0f, 0x1p-10f,
        0.125f, 0.25f, 0.5f, 0.75f, 1f, 1.5f, 2f, 3f, 4f, 5.5f, 6f, 6.5f, 8f, 12f, 30f
    };

    /** How many leading elements of each probe pair the first, cheap pass of {@link #identify} compares. */
    static final int SCREEN = 4096;

    private static final float LEAKY_PROBE = -1f;
    private static final float ELU_PROBE = -30f;

    /** The parameter-free candidates; pairwise different on {@link #DESIGNED}, so at most one can match. */
    private static final List<Candidate> FIXED =
            List.of(
                    new Candidate(new IdentityOp(), x -> x),
                    activation(Kind.RELU, Activation::relu),
                    activation(Kind.RELU6, Activation::relu6),
                    activation(Kind.SIGMOID, Activation::sigmoid),
                    activation(Kind.TANH, Activation::tanh),
                    activation(Kind.SOFTPLUS, Activation::softPlus),
                    activation(Kind.SWISH, x -> Activation.swish(x, 1f)),
                    activation(Kind.MISH, Activation::mish),
                    activation(Kind.GELU, Activation::gelu));

    private ActivationProbe() {}

    /**
     * Creates probe inputs of {@code shape}: enough arrays to hold all {@link #DESIGNED} values in their leading
     * elements (the rest random), then two fully random arrays.
     *
     * @param manager the manager owning the arrays
     * @param random the generator of the random values
     * @param shape the input shape
     * @return the inputs
     */
    static List<NDArray> inputs(NDManager manager, Random random, Shape shape) {
        int size = Math.toIntExact(shape.size());
        List<NDArray> inputs = new ArrayList<>();
        for (int start = 0; start < DESIGNED.length; start += size) {
            float[] values = new float[size];
            int designed = Math.min(size, DESIGNED.length - start);
            System.arraycopy(DESIGNED, start, values, 0, designed);
            for (int i = designed; i < size; i++) {
                values[i] = (random.nextFloat() * 2f - 1f) * 8f;
            }
            inputs.add(manager.create(values, shape));
        }
        inputs.add(ProbeSupport.symmetric(manager, random, shape, 4f));
        inputs.add(ProbeSupport.symmetric(manager, random, shape, 10f));
        return inputs;
    }

    /**
     * Returns how many leading elements of an input of {@code shape} carry designed values; a join probe keeps those
     * elements of the other branches at zero so that a sum still holds the designed values exactly.
     *
     * @param shape the input shape
     * @return the length of the designed prefix
     */
    static int designedPrefix(Shape shape) {
        return (int) Math.min(DESIGNED.length, shape.size());
    }

    /**
     * Returns every candidate function {@code f} with {@code ys[i] = f(xs[i])} for all i: an {@link IdentityOp} or an
     * {@link ActivationOp}. The α of leaky ReLU and ELU is read from the outputs at −1 and −30 and then verified on
     * all values like every other candidate.
     *
     * <p>Candidates are first screened on the leading {@value #SCREEN} elements of each pair, which hold all designed
     * values, and only those that pass are checked on every element; on a large feature map this saves checking ten
     * functions on millions of elements.
     *
     * @param xs inputs that together contain every designed value, in their leading elements
     * @param ys the outputs observed for them
     * @return the matching descriptions; empty if none, more than one only if the candidates cannot be told apart
     */
    static List<Op> identify(List<NDArray> xs, List<NDArray> ys) {
        for (int i = 0; i < xs.size(); i++) {
            if (!ProbeSupport.sameShape(xs.get(i).getShape(), ys.get(i).getShape())) {
                return List.of();
            }
        }
        List<NDArray> screenXs = screen(xs);
        List<NDArray> screenYs = screen(ys);
        List<Candidate> candidates = new ArrayList<>(FIXED);
        float leakyAlpha = -valueAt(screenXs, screenYs, LEAKY_PROBE);
        // α = 0 is ReLU and α = 1 the identity, both already candidates under their plain names.
        if (leakyAlpha != 0 && leakyAlpha != 1 && Float.isFinite(leakyAlpha)) {
            candidates.add(activation(Kind.LEAKY_RELU, leakyAlpha, x -> Activation.leakyRelu(x, leakyAlpha)));
        }
        float eluAlpha = -valueAt(screenXs, screenYs, ELU_PROBE);
        if (eluAlpha != 0 && Float.isFinite(eluAlpha)) {
            candidates.add(activation(Kind.ELU, eluAlpha, x -> Activation.elu(x, eluAlpha)));
        }
        List<Op> matches = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (candidate.matchesAll(screenXs, screenYs) && candidate.matchesAll(xs, ys)) {
                matches.add(candidate.op());
            }
        }
        for (Op op : matches) {
            checkValueAtZero(op, valueAt(screenXs, screenYs, 0f));
        }
        return matches;
    }

    /** Returns the leading {@value #SCREEN} elements of each array, flattened. */
    private static List<NDArray> screen(List<NDArray> arrays) {
        List<NDArray> screened = new ArrayList<>();
        for (NDArray array : arrays) {
            long length = Math.min(SCREEN, array.size());
            screened.add(array.flatten().get(new NDIndex().addSliceDim(0, length)));
        }
        return screened;
    }

    /**
     * Describes the function seen on the designed values, for a refusal message.
     *
     * @param xs the inputs
     * @param ys the outputs
     * @return text such as {@code f(-2)=-3, f(-1)=-1, ...}
     */
    static String observed(List<NDArray> xs, List<NDArray> ys) {
        List<NDArray> screenXs = screen(xs);
        List<NDArray> screenYs = screen(ys);
        StringBuilder text = new StringBuilder();
        for (float x : new float[] {-30f, -2f, -1f, 0f, 1f, 2f, 8f}) {
            text.append(text.length() == 0 ? "" : ", ")
                    .append("f(")
                    .append(x)
                    .append(")=")
                    .append(valueAt(screenXs, screenYs, x));
        }
        return text.toString();
    }

    /**
     * Returns the output at the first element whose input is exactly {@code x}.
     *
     * @param xs the inputs
     * @param ys the outputs
     * @param x the input value
     * @return the output there, or NaN if no input holds {@code x}
     */
    private static float valueAt(List<NDArray> xs, List<NDArray> ys, float x) {
        for (int i = 0; i < xs.size(); i++) {
            NDArray mask = xs.get(i).eq(x);
            if (mask.any().getBoolean()) {
                return ys.get(i).get(mask).toType(DataType.FLOAT32, false).toFloatArray()[0];
            }
        }
        return Float.NaN;
    }

    /**
     * Guards {@link ActivationOp#valueAtZero()}, on which compaction's bias folding relies, against the measured f(0).
     */
    private static void checkValueAtZero(Op op, float measured) {
        double expected = op instanceof ActivationOp activation ? activation.valueAtZero() : 0;
        if (!(Math.abs(measured - expected)
                <= ProbeSupport.ABSOLUTE_TOLERANCE + ProbeSupport.RELATIVE_TOLERANCE * Math.abs(expected))) {
            throw new IllegalStateException(
                    op + " was measured as f(0) = " + measured + " but valueAtZero() says " + expected);
        }
    }

    private static Candidate activation(Kind kind, UnaryOperator<NDArray> function) {
        return activation(kind, 0f, function);
    }

    private static Candidate activation(Kind kind, float alpha, UnaryOperator<NDArray> function) {
        return new Candidate(new ActivationOp(kind, alpha), function);
    }

    /** One candidate function and the op it means. */
    private record Candidate(Op op, UnaryOperator<NDArray> function) {

        boolean matchesAll(List<NDArray> xs, List<NDArray> ys) {
            for (int i = 0; i < xs.size(); i++) {
                if (!ProbeSupport.matches(ys.get(i), function, xs.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
