package io.djlprune.cost;

/**
 * A pruning budget: keep at most {@code target} of the full cost of one {@link BudgetKind}.
 *
 * @param kind what is limited
 * @param target the largest kept fraction, in (0, 1]
 */
public record Budget(BudgetKind kind, double target) {

    /**
     * Creates a budget, checking the target.
     *
     * @param kind what is limited
     * @param target the largest kept fraction
     * @throws IllegalArgumentException if the target is not in (0, 1]
     */
    public Budget {
        if (kind == null) {
            throw new IllegalArgumentException("A budget needs a kind: channels, volume, params, flops or latency");
        }
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException(
                    "A budget target is the kept fraction of the full cost and must be in (0, 1], got " + target);
        }
    }

    /**
     * Parses {@code kind=target}, e.g. {@code flops=0.25} or {@code latency=0.5} (half the dense latency).
     *
     * @param text the budget as the CLI takes it
     * @return the budget
     * @throws IllegalArgumentException if the text is malformed, naming the expected form
     */
    public static Budget parse(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException(
                    "A budget is KIND=TARGET, e.g. flops=0.25 (kinds: channels, volume, params, flops, latency), got '" + text + "'");
        }
        BudgetKind kind = BudgetKind.parse(text.substring(0, eq));
        double target;
        try {
            target = Double.parseDouble(text.substring(eq + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The budget target in '" + text + "' is not a number", e);
        }
        return new Budget(kind, target);
    }

    @Override
    public String toString() {
        return kind.key() + "=" + target;
    }
}
