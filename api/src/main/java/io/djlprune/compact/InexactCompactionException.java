package io.djlprune.compact;

/**
 * Thrown when removing the masked channels would change what the network computes and no exact correction exists,
 * for example a removed channel that carries a non-zero constant into a zero-padded convolution. The message names
 * the layer's path and the reason; nothing is built.
 */
public class InexactCompactionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;

    /**
     * Creates the exception.
     *
     * @param path the path of the layer where compaction would not be exact
     * @param reason why, in terms of channels and values
     */
    public InexactCompactionException(String path, String reason) {
        super("Cannot compact exactly at '" + path + "': " + reason);
        this.path = path;
    }

    /**
     * Returns the path of the layer where compaction would not be exact.
     *
     * @return the path
     */
    public String getPath() {
        return path;
    }
}
