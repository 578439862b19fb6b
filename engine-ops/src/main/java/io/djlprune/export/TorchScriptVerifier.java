package io.djlprune.export;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.engine.LoadedTorchScript;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks an exported archive by loading it back through LibTorch and comparing its outputs with the DJL block it came
 * from, both in inference mode, on the same inputs. "Exact or it did not happen": an export counts only once this
 * passes.
 *
 * <pre>
 * double diff = new TorchScriptVerifier().verify(path, block, new NDList(manager.randomNormal(shape)));
 * </pre>
 */
public final class TorchScriptVerifier {

    /** The default largest absolute difference accepted between the two outputs. */
    public static final double DEFAULT_TOLERANCE = 1e-5;

    private final double tolerance;

    /** Creates a verifier with {@link #DEFAULT_TOLERANCE}. */
    public TorchScriptVerifier() {
        this(DEFAULT_TOLERANCE);
    }

    /**
     * Creates a verifier.
     *
     * @param tolerance the largest absolute difference accepted, at least 0
     */
    public TorchScriptVerifier(double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("Tolerance must be a number ≥ 0, got " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /**
     * Returns the largest absolute difference this verifier accepts.
     *
     * @return the tolerance
     */
    public double getTolerance() {
        return tolerance;
    }

    /**
     * Loads an archive on the inputs' device and compares it with a block.
     *
     * @param archive the {@code .pt} file
     * @param reference the DJL block it was written from
     * @param inputs the inputs to run both on
     * @return the largest absolute difference over all outputs
     * @throws IOException if the archive cannot be read
     * @throws MalformedModelException if LibTorch refuses the archive
     * @throws ExportMismatchException if the outputs differ by more than the tolerance, in shape, or are not finite
     */
    public double verify(Path archive, Block reference, NDList inputs) throws IOException, MalformedModelException {
        requireInputs(inputs, archive.toString());
        try (LoadedTorchScript loaded = LoadedTorchScript.load(archive, inputs.head().getDevice())) {
            return verify(loaded, archive.toString(), reference, inputs);
        }
    }

    /**
     * Compares an already loaded archive with a block.
     *
     * @param loaded the loaded archive
     * @param name how to name the archive in messages
     * @param reference the DJL block it was written from
     * @param inputs the inputs to run both on
     * @return the largest absolute difference over all outputs
     * @throws ExportMismatchException if the outputs differ by more than the tolerance, in shape, or are not finite
     */
    public double verify(LoadedTorchScript loaded, String name, Block reference, NDList inputs) {
        requireInputs(inputs, name);
        // Everything created here (input copies, both outputs, intermediates) dies with this manager.
        try (NDManager scratch = inputs.head().getManager().newSubManager()) {
            NDList copies = new NDList(inputs.size());
            for (NDArray input : inputs) {
                NDArray copy = input.duplicate();
                copy.attach(scratch);
                copies.add(copy);
            }
            NDList expected = reference.forward(new ParameterStore(scratch, false), copies, false);
            expected.attach(scratch);
            NDList actual = loaded.predict(copies);
            actual.attach(scratch);
            return compare(name, expected, actual);
        }
    }

    private static long nonFinite(NDArray array) {
        NDArray values = array.toType(DataType.FLOAT64, false);
        return values.size() - values.isInfinite().logicalOr(values.isNaN()).logicalNot().countNonzero().getLong();
    }

    private static void requireInputs(NDList inputs, String name) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("At least one input is needed to verify " + name);
        }
    }

    private double compare(String name, NDList expected, NDList actual) {
        if (expected.size() != actual.size()) {
            throw new ExportMismatchException(
                    name + " returns " + actual.size() + " outputs, the DJL block " + expected.size(), Double.NaN);
        }
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            NDArray want = expected.get(i);
            NDArray got = actual.get(i);
            if (!want.getShape().equals(got.getShape())) {
                throw new ExportMismatchException(
                        name + " output " + i + " has shape " + got.getShape() + ", the DJL block " + want.getShape(),
                        Double.NaN);
            }
            double difference =
                    want.toType(DataType.FLOAT64, false)
                            .sub(got.toType(DataType.FLOAT64, false))
                            .abs()
                            .max()
                            .getDouble();
            if (Double.isNaN(difference)) {
                throw new ExportMismatchException(
                        name + " output " + i + " is not finite: " + nonFinite(want) + " non-finite values from the"
                                + " DJL block, " + nonFinite(got) + " from the archive",
                        difference);
            }
            if (!(difference <= tolerance)) {
                throw new ExportMismatchException(
                        name
                                + " output "
                                + i
                                + " differs from the DJL block by up to "
                                + difference
                                + " (tolerance "
                                + tolerance
                                + ")",
                        difference);
            }
            worst = Math.max(worst, difference);
        }
        return worst;
    }
}
