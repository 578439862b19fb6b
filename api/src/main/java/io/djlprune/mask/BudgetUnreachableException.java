package io.djlprune.mask;

/**
 * Thrown when no mask can meet a budget because even the smallest network allowed (every group at its minimum)
 * costs more. The message gives the smallest achievable ratio so the user can pick a feasible target.
 */
public class BudgetUnreachableException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final double minimumRatio;

    /**
     * Creates the exception.
     *
     * @param message the full message
     * @param minimumRatio the smallest achievable cost ratio
     */
    public BudgetUnreachableException(String message, double minimumRatio) {
        super(message);
        this.minimumRatio = minimumRatio;
    }

    /**
     * Returns the smallest achievable cost ratio.
     *
     * @return the ratio
     */
    public double getMinimumRatio() {
        return minimumRatio;
    }
}
