package io.djlprune.ops;

/**
 * What a probe established: an op, or the observation that rules its family out (for the refusal message).
 *
 * @param op the op found, or {@code null}
 * @param observed what was seen, when no op was found
 */
record ProbeResult(Op op, String observed) {

    /** Returns the result "this op". */
    static ProbeResult found(Op op) {
        return new ProbeResult(op, null);
    }

    /** Returns the result "not this family", with what was seen. */
    static ProbeResult notFound(String observed) {
        return new ProbeResult(null, observed);
    }

    /** Returns whether an op was found. */
    boolean isFound() {
        return op != null;
    }
}
