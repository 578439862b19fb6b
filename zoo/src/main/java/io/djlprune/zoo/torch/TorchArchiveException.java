package io.djlprune.zoo.torch;

import java.io.IOException;

/**
 * A file is not a PyTorch state_dict archive this reader accepts: not a zip, no {@code data.pkl}, a pickle that is
 * truncated, malformed or uses an opcode or global outside the allow-list, or a tensor whose storage is missing.
 * Nothing of the file has been executed or instantiated when this is thrown.
 */
public class TorchArchiveException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the entry, opcode, global or byte offset concerned
     */
    public TorchArchiveException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong
     * @param cause the underlying failure
     */
    public TorchArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
