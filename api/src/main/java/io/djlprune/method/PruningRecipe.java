package io.djlprune.method;

/**
 * How long and how fast a method trains to find its mask (ChipNet's gated phase, the regularised phase of DeepHoyer,
 * slimming and group lasso; one-shot methods ignore it).
 *
 * @param epochs the training epochs, ≥ 1
 * @param learningRate the weights' learning rate
 * @param weightDecay the weight decay, or null for the method's reference value ({@link
 *     PruningMethod#referenceWeightDecay})
 */
public record PruningRecipe(int epochs, float learningRate, Float weightDecay) {

    /**
     * Checks the values.
     *
     * @param epochs ≥ 1
     * @param learningRate &gt; 0
     * @param weightDecay null or ≥ 0
     */
    public PruningRecipe {
        if (epochs < 1) {
            throw new IllegalArgumentException("Pruning needs at least 1 epoch, got " + epochs);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("The learning rate must be a positive number, got " + learningRate);
        }
        if (weightDecay != null && (!(weightDecay >= 0) || !Float.isFinite(weightDecay))) {
            throw new IllegalArgumentException("The weight decay must be ≥ 0, got " + weightDecay);
        }
    }

    /**
     * Returns the weight decay a method trains with.
     *
     * @param method the method
     * @return the recipe's decay, else the method's reference value
     */
    public float weightDecayFor(PruningMethod method) {
        return weightDecay != null ? weightDecay : method.referenceWeightDecay();
    }
}
