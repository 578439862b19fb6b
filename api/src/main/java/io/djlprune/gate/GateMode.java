package io.djlprune.gate;

/** How every {@link Gate} of a model treats its input; switched for all gates at once by the {@link GateController}. */
public enum GateMode {
    /** Multiply each channel by its soft gate value {@code z(ψ)}; the pruning phase trains in this mode. */
    SOFT,
    /** Multiply each channel by its fixed 0/1 keep mask; validating a hard mask and fine-tuning run in this mode. */
    HARD,
    /** Pass the input through unchanged, as if the gates were not there. */
    OFF
}
