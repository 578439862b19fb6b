package io.djlprune.zoo.torch;

import java.util.List;

/**
 * A state_dict does not fit the network it is loaded into: tensors are missing, unexpected, of the wrong shape or of
 * the wrong type. The message lists every mismatch, one a line; {@link #mismatches()} returns them. Nothing has been
 * loaded when this is thrown.
 */
public class StateDictMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The mismatches, one sentence each. */
    private final List<String> mismatches;

    /**
     * Creates the exception.
     *
     * @param what the network and file concerned
     * @param mismatches every mismatch found, one sentence each
     */
    public StateDictMismatchException(String what, List<String> mismatches) {
        super(what + ": " + mismatches.size() + " mismatch" + (mismatches.size() == 1 ? "" : "es") + "\n  "
                + String.join("\n  ", mismatches));
        this.mismatches = List.copyOf(mismatches);
    }

    /**
     * Returns every mismatch found.
     *
     * @return one sentence per mismatch
     */
    public List<String> mismatches() {
        return mismatches;
    }
}
