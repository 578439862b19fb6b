package io.djlprune.export;

/**
 * Thrown when a block cannot be written as TorchScript or ONNX exactly: a layout, data type or parameter set the
 * writer does not express. The message names the block's path and type; nothing is written when it is thrown.
 *
 * <p>Blocks the {@link io.djlprune.ops.OpClassifier} cannot describe are refused earlier with
 * {@link io.djlprune.ops.UnsupportedBlockException}.
 */
public class UnsupportedExportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String blockType;

    /**
     * Creates the exception.
     *
     * @param path the block's path in the tree ({@code ""} for the root)
     * @param blockType the block's class name
     * @param reason what cannot be expressed
     */
    public UnsupportedExportException(String path, String blockType, String reason) {
        this("TorchScript", path, blockType, reason);
    }

    /**
     * Creates the exception for a named file format.
     *
     * @param format the format the block could not be written in ({@code "TorchScript"}, {@code "ONNX"})
     * @param path the block's path in the tree ({@code ""} for the root)
     * @param blockType the block's class name
     * @param reason what cannot be expressed
     */
    public UnsupportedExportException(String format, String path, String blockType, String reason) {
        super(
                "Cannot export block '"
                        + (path.isEmpty() ? "<root>" : path)
                        + "' of type "
                        + blockType
                        + " to "
                        + format
                        + ": "
                        + reason
                        + ". Nothing was written.");
        this.path = path;
        this.blockType = blockType;
    }

    /**
     * Returns the path of the refused block.
     *
     * @return the path
     */
    public String getPath() {
        return path;
    }

    /**
     * Returns the class name of the refused block.
     *
     * @return the type
     */
    public String getBlockType() {
        return blockType;
    }
}
