package io.djlprune.export;

/**
 * Thrown when a loaded TorchScript archive does not compute what the DJL block it came from computes: an output
 * differs by more than the tolerance, has another shape, or is not finite.
 */
public class ExportMismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final double maxAbsDifference;

    /**
     * Creates the exception.
     *
     * @param message what differs, with the archive's path
     * @param maxAbsDifference the largest absolute difference found ({@code NaN} if not comparable)
     */
    public ExportMismatchException(String message, double maxAbsDifference) {
        super(message);
        this.maxAbsDifference = maxAbsDifference;
    }

    /**
     * Returns the largest absolute difference between the two outputs.
     *
     * @return the difference, or {@code NaN} when the outputs could not be compared element-wise
     */
    public double getMaxAbsDifference() {
        return maxAbsDifference;
    }
}
