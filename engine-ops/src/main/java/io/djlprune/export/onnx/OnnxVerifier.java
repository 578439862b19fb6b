package io.djlprune.export.onnx;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.export.ExportMismatchException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Checks an ONNX file by running it in ONNX Runtime and the DJL block it came from in DJL, both in inference mode, on
 * the same fixed random batch (standard normal values from a seeded generator), and comparing the outputs element by
 * element. The difference is {@code max |djl − ort| / max(1, max |djl|)}: absolute where the outputs are at most 1 in
 * magnitude, relative to the largest output where they are larger. Float32 rounding grows with the magnitudes that
 * flow through the network, so a deep network's large logits would fail an absolute bound that small ones pass; and
 * the scale is the output's largest magnitude rather than each element's own, since an element near zero (after large
 * terms cancelled) carries the rounding of those terms.
 *
 * <pre>
 * OnnxVerifier.Result result = new OnnxVerifier(1e-5).verify(path, block, new Shape(2, 3, 32, 32));
 * </pre>
 */
public final class OnnxVerifier {

    /** The default largest accepted difference. */
    public static final double DEFAULT_TOLERANCE = 1e-5;

    /** The seed of the verification batch, unless one is given. */
    public static final long DEFAULT_SEED = 19;

    private final double tolerance;

    /**
     * Creates a verifier.
     *
     * @param tolerance the largest accepted difference (see the class description), at least 0
     */
    public OnnxVerifier(double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("Tolerance must be a number ≥ 0, got " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /**
     * What a passed verification measured.
     *
     * @param maxDifference the difference as the class description defines it (what the tolerance bounds)
     * @param maxAbsDifference the largest absolute difference
     */
    public record Result(double maxDifference, double maxAbsDifference) {}

    /**
     * Loads a file into ONNX Runtime (one thread) and compares it with a block on the batch of {@link #DEFAULT_SEED}.
     *
     * @param file the {@code .onnx} file
     * @param reference the DJL block it was written from
     * @param batchShape the input shape, batch axis included
     * @return the differences
     * @throws IOException if ONNX Runtime cannot load or run the file
     * @throws ExportMismatchException if an output differs by more than the tolerance, in shape, or is not finite
     */
    public Result verify(Path file, Block reference, Shape batchShape) throws IOException {
        try (OnnxRuntimeModel model = OnnxRuntimeModel.load(file, 1)) {
            return verify(model, file.toString(), reference, batchShape, DEFAULT_SEED);
        }
    }

    /**
     * Compares a loaded model with a block on a seeded random batch.
     *
     * @param model the loaded model
     * @param name how to name it in messages
     * @param reference the DJL block it was written from
     * @param batchShape the input shape, batch axis included
     * @param seed the seed of the batch
     * @return the differences
     * @throws IOException if ONNX Runtime cannot run the model
     * @throws ExportMismatchException if the output differs by more than the tolerance, in shape, or is not finite
     */
    public Result verify(OnnxRuntimeModel model, String name, Block reference, Shape batchShape, long seed)
            throws IOException {
        float[] input = randomBatch(batchShape, seed);
        Device device = reference.getParameters().isEmpty()
                ? Device.cpu()
                : reference.getParameters().valueAt(0).getArray().getDevice();
        float[] expected;
        Shape expectedShape;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDList inputs = new NDList(manager.create(input, batchShape));
            NDList outputs = reference.forward(new ParameterStore(manager, false), inputs, false);
            if (outputs.size() != 1) {
                throw new ExportMismatchException(
                        "the DJL block of " + name + " returns " + outputs.size() + " outputs, the file 1", Double.NaN);
            }
            NDArray output = outputs.singletonOrThrow();
            expected = output.toFloatArray();
            expectedShape = output.getShape();
        }
        OnnxRuntimeModel.Output actual = model.predict(input, batchShape.getShape());
        if (!Arrays.equals(actual.shape(), expectedShape.getShape())) {
            throw new ExportMismatchException(name + " output has shape " + Arrays.toString(actual.shape())
                    + ", the DJL block " + expectedShape, Double.NaN);
        }
        return compare(name, expected, actual.values());
    }

    /**
     * Returns the verification batch: standard normal float32 values from a generator seeded with {@code seed}.
     *
     * @param batchShape the shape
     * @param seed the seed
     * @return the values in row-major order
     */
    public static float[] randomBatch(Shape batchShape, long seed) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(batchShape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private Result compare(String name, float[] expected, float[] actual) {
        double scale = 1;
        double worstAbsolute = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.length; i++) {
            if (!Float.isFinite(expected[i]) || !Float.isFinite(actual[i])) {
                throw new ExportMismatchException(name + " output element " + i + " is not finite: DJL "
                        + expected[i] + ", ONNX Runtime " + actual[i], Double.NaN);
            }
            scale = Math.max(scale, Math.abs((double) expected[i]));
            double absolute = Math.abs((double) expected[i] - actual[i]);
            if (absolute > worstAbsolute) {
                worstAbsolute = absolute;
                worstIndex = i;
            }
        }
        double worst = worstAbsolute / scale;
        if (!(worst <= tolerance)) {
            throw new ExportMismatchException(String.format(
                    "%s differs from the DJL block by up to %.3e (tolerance %.1e; the absolute difference %.3e over"
                            + " the outputs' largest magnitude %.4g) at output element %d: DJL %s, ONNX Runtime %s",
                    name, worst, tolerance, worstAbsolute, scale, worstIndex, expected[worstIndex],
                    actual[worstIndex]), worstAbsolute);
        }
        return new Result(worst, worstAbsolute);
    }
}
