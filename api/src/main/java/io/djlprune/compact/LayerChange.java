package io.djlprune.compact;

/**
 * How compaction shrank one layer with parameters.
 *
 * @param path the layer's path, the same in the original and the compact tree
 * @param kind what the layer is, e.g. {@code "Conv2d"}, {@code "depthwise Conv2d"}, {@code "Linear"}
 * @param inputsBefore input channels (features for a linear layer) before
 * @param inputsAfter input channels (features) after
 * @param outputsBefore output channels (units) before
 * @param outputsAfter output channels (units) after
 */
public record LayerChange(
        String path, String kind, long inputsBefore, long inputsAfter, long outputsBefore, long outputsAfter) {

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(
                "%-40s %-17s in %d → %d, out %d → %d",
                path, kind, inputsBefore, inputsAfter, outputsBefore, outputsAfter);
    }
}
