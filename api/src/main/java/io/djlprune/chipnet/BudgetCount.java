package io.djlprune.chipnet;

import java.util.Locale;

/**
 * What ChipNet's budget term counts for each channel when it computes the soft cost ratio V from the gates z.
 *
 * <p>The choice decides where a gate that the task loss wants and the budget does not comes to rest. {@link #GATE} charges
 * a channel in proportion to how far it is open, so such a gate can rest part-open (z ≈ 0.2), passing signal the hard
 * mask then removes. {@link #ROOT} charges a part-open channel more than its share of signal (√z: a fifth open costs
 * nearly half a channel), so a gate does better fully open or fully closed: the concave charge makes the gates crisp
 * the way an L½ penalty makes weights sparse.
 */
public enum BudgetCount {
    /** The published rule: s(z) = σ(k·(z − ½)), the soft count of gates above ½ (a gate just under ½ is free). */
    SOFT_COUNT("count"),
    /** The gate value z itself. */
    GATE("gate"),
    /** √z (offset so that 0 costs 0 and 1 costs 1): part-open gates cost more than the signal they pass. */
    ROOT("root");

    /** Keeps √z's slope finite at z = 0 (it is 1 / (2√ε) = 50 there). */
    static final float ROOT_OFFSET = 1e-4f;

    private final String key;

    BudgetCount(String key) {
        this.key = key;
    }

    /**
     * Returns the count with a name.
     *
     * @param name count, gate or root
     * @return the count
     * @throws IllegalArgumentException naming the choices for anything else
     */
    public static BudgetCount parse(String name) {
        for (BudgetCount count : values()) {
            if (count.key.equals(name.toLowerCase(Locale.ROOT))) {
                return count;
            }
        }
        throw new IllegalArgumentException("Unknown budget count '" + name + "': use count, gate or root");
    }

    /**
     * Returns the command-line name.
     *
     * @return count, gate or root
     */
    public String key() {
        return key;
    }

    /**
     * Returns the command-line name, so option help and messages show what a user types.
     *
     * @return {@link #key()}
     */
    @Override
    public String toString() {
        return key();
    }
}
