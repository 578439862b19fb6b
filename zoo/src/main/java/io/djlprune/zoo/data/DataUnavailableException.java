package io.djlprune.zoo.data;

import java.io.IOException;

/**
 * Thrown when a dataset's files are missing or corrupt. The message names the file and says how to get it, because
 * this is the first error a new user meets.
 */
public class DataUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message that names the file and the remedy.
     *
     * @param message the complete, user-facing message
     */
    public DataUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the low-level cause.
     *
     * @param message the complete, user-facing message
     * @param cause what the reader met
     */
    public DataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
