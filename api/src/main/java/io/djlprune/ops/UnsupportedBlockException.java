package io.djlprune.ops;

/**
 * Thrown when djl-prune meets a block whose computation it cannot prove. The message names the block's path and type
 * and says how to register a rule for it, so the user never gets a silently wrong pruned model.
 */
public class UnsupportedBlockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String blockType;

    /**
     * Creates the exception.
     *
     * @param path the block's path in the tree
     * @param blockType the block's class name
     * @param reason what could not be established
     */
    public UnsupportedBlockException(String path, String blockType, String reason) {
        this(path, blockType, reason, null);
    }

    /**
     * Creates the exception for a refusal caused by another failure, such as the block throwing while it was probed.
     *
     * @param path the block's path in the tree
     * @param blockType the block's class name
     * @param reason what could not be established
     * @param cause the failure that prevented it, or {@code null}
     */
    public UnsupportedBlockException(String path, String blockType, String reason, Throwable cause) {
        super(
                "Cannot prune through block '"
                        + path
                        + "' of type "
                        + blockType
                        + ": "
                        + reason
                        + ". Register a rule for it with OpRules.register(...), or exclude it from pruning.",
                cause);
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
