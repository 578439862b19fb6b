package io.djlprune.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks an exporter makes on one leaf block before it writes it: its parameters are exactly the op's, its input
 * has the shape the op expects, and each parameter is an initialised float32 array of the shape the op implies. Every
 * refusal names the format, the block's path and its type. The TorchScript and ONNX writers each read a leaf through
 * one, so both refuse alike.
 */
public class LeafCheck {

    private final Block block;
    private final String path;
    private final String format;

    /**
     * Creates the check of a leaf.
     *
     * @param block the leaf block
     * @param path its path in the network
     * @param format the export format, for refusals (e.g. "TorchScript", "ONNX")
     */
    public LeafCheck(Block block, String path, String format) {
        this.block = block;
        this.path = path;
        this.format = format;
    }

    /**
     * Returns the leaf's path in the network.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * Refuses the leaf unless its parameters are exactly the given ones.
     *
     * @param names the parameter names the op needs
     * @throws UnsupportedExportException if they differ
     */
    public void expect(Set<String> names) {
        Set<String> actual = new TreeSet<>(block.getParameters().keys());
        if (!actual.equals(new TreeSet<>(names))) {
            throw refuse("its parameters are " + actual + " but the op needs exactly " + new TreeSet<>(names));
        }
    }

    /**
     * Refuses the leaf when its input does not match what the op expects.
     *
     * @param input the input shape
     * @param matches whether it matches
     * @param expected what the op expects, for the message
     * @throws UnsupportedExportException if it does not match
     */
    public void requireInput(Shape input, boolean matches, String expected) {
        if (!matches) {
            throw refuse("its input has shape " + input + " but the op expects " + expected);
        }
    }

    /**
     * Refuses the leaf unless every value is a (height, width) pair.
     *
     * @param values the values of a 2-D op
     * @throws UnsupportedExportException if one is not a pair
     */
    public void requirePairs(int[]... values) {
        for (int[] pair : values) {
            if (pair == null || pair.length != 2) {
                throw refuse("a 2-D op needs (height, width) pairs, got " + Arrays.toString(pair));
            }
        }
    }

    /**
     * Returns a parameter's array after checking that it is initialised, float32 and of the shape the op implies.
     *
     * @param name the parameter's name
     * @param expectedShape the shape the op implies
     * @return the array
     * @throws UnsupportedExportException if a check fails
     */
    public NDArray parameter(String name, long... expectedShape) {
        Parameter parameter = block.getParameters().get(name);
        if (!parameter.isInitialized()) {
            throw refuse("parameter '" + name + "' is not initialised");
        }
        NDArray array = parameter.getArray();
        if (array.getDataType() != DataType.FLOAT32) {
            throw refuse("parameter '" + name + "' is " + array.getDataType() + "; only float32 is written");
        }
        long[] shape = array.getShape().getShape();
        if (!Arrays.equals(shape, expectedShape)) {
            throw refuse("parameter '" + name + "' has shape " + Arrays.toString(shape) + " but the op implies "
                    + Arrays.toString(expectedShape));
        }
        return array;
    }

    /**
     * Returns the refusal of this leaf for a reason.
     *
     * @param reason what is wrong
     * @return the exception to throw
     */
    public UnsupportedExportException refuse(String reason) {
        return new UnsupportedExportException(format, path, block.getClass().getName(), reason);
    }
}
